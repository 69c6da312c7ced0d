import { Schema } from "effect"

/** One message of a chat. */
export const Message = Schema.Struct({
  role: Schema.Literal("system", "user", "assistant"),
  content: Schema.String
})
export type Message = typeof Message.Type

/** Tokens a call consumed, as the provider counted them. */
export const Usage = Schema.Struct({
  promptTokens: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("prompt_tokens")),
  completionTokens: Schema.propertySignature(Schema.Number).pipe(
    Schema.fromKey("completion_tokens")
  )
})
export type Usage = typeof Usage.Type

/** The answer of `POST /chat/completions`; only the first choice is read. */
export const ChatCompletion = Schema.Struct({
  choices: Schema.NonEmptyArray(
    Schema.Struct({
      message: Schema.Struct({
        content: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })
      }),
      finishReason: Schema.optionalWith(Schema.NullOr(Schema.String), {
        default: () => null
      }).pipe(Schema.fromKey("finish_reason"))
    })
  ),
  usage: Schema.optionalWith(Usage, { default: () => ({ promptTokens: 0, completionTokens: 0 }) })
})
export type ChatCompletion = typeof ChatCompletion.Type

/** A prompt to complete. */
export interface GenerateText {
  readonly system?: string
  readonly prompt: string
  /** Most tokens the answer may take (`max_completion_tokens`). */
  readonly maxTokens?: number
  readonly temperature?: number
  /** A model other than the configured one. */
  readonly model?: string
}

/** A completed prompt. */
export interface Generated {
  readonly text: string
  readonly usage: Usage
  /** Why the model stopped: `stop`, or `length` when `maxTokens` cut the answer. */
  readonly finishReason: string | null
}

/** A text to summarise. */
export interface Summarize {
  readonly text: string
  /** What the summary should hold; a faithful, concise summary by default. */
  readonly instructions?: string
  /** Tokens the model reads and writes in one call; 8,000 by default. */
  readonly contextTokens?: number
  /** Most tokens of the summary; an eighth of the context, at most 1,000, by default. */
  readonly maxTokens?: number
  /** Parts summarised at once when the text does not fit; 4 by default. */
  readonly concurrency?: number
}

/** A summary, and what it took. */
export interface Summary {
  readonly text: string
  /** Tokens of every call together. */
  readonly usage: Usage
  /** Calls made: 1 when the text fitted the context. */
  readonly calls: number
}
