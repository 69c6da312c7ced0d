import * as FakeServer from "../FakeServer"
import { isObject, type JsonObject } from "./json"

/** An error in OpenAI's envelope. */
export const openAiError = (
  status: number,
  message: string,
  details: {
    readonly type?: string
    readonly param?: string | null
    readonly code?: string | null
  } = {},
  headers?: Record<string, string>
) =>
  FakeServer.json(
    {
      error: {
        message,
        type: details.type ?? "invalid_request_error",
        param: details.param ?? null,
        code: details.code ?? null
      }
    },
    { status, ...(headers === undefined ? {} : { headers }) }
  )

const roles = ["system", "developer", "user", "assistant", "tool", "function"]

/** The text of a message's content: a string, or the text parts of an array of parts. */
const textOf = (content: unknown): string | undefined => {
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return undefined
  return content
    .map((part: unknown) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
    .join("\n")
}

/** A chat completion request, checked, or the 400 OpenAI answers for it. */
export type Parsed =
  | {
      readonly _tag: "Request"
      readonly model: string
      readonly texts: ReadonlyArray<string>
      readonly lastUser: string
      readonly maxTokens: number | undefined
    }
  | { readonly _tag: "Rejected"; readonly response: Response }

const rejected = (message: string, param: string | null, code: string | null = null): Parsed => ({
  _tag: "Rejected",
  response: openAiError(400, message, { param, code })
})

/** Checks a chat completion request as OpenAI does: model, messages, limits. */
export const parse = (body: JsonObject): Parsed => {
  if (typeof body.model !== "string" || body.model === "") {
    return rejected("you must provide a model parameter", null)
  }
  const messages = body.messages
  if (messages === undefined) {
    return rejected(
      "Missing required parameter: 'messages'.",
      "messages",
      "missing_required_parameter"
    )
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    return rejected(
      `${JSON.stringify(messages)} is too short - 'messages'`,
      "messages",
      "empty_array"
    )
  }

  const texts: Array<string> = []
  let lastUser = ""
  for (const [index, message] of messages.entries()) {
    const role = isObject(message) ? message.role : undefined
    if (typeof role !== "string" || !roles.includes(role)) {
      return rejected(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', ` +
          `'function', 'tool', and 'developer'.`,
        `messages[${index}].role`,
        "invalid_value"
      )
    }
    const text = isObject(message) ? textOf(message.content) : undefined
    if (text === undefined) {
      return rejected(
        `Invalid type for 'messages[${index}].content'.`,
        `messages[${index}].content`,
        "invalid_type"
      )
    }
    texts.push(text)
    if (role === "user") lastUser = text
  }

  const maxTokens = body.max_completion_tokens ?? body.max_tokens
  if (
    maxTokens !== undefined &&
    (typeof maxTokens !== "number" || !Number.isInteger(maxTokens) || maxTokens < 1)
  ) {
    return rejected(
      `Invalid 'max_completion_tokens': integer below minimum value. Expected a value >= 1, but ` +
        `got ${JSON.stringify(maxTokens)} instead.`,
      "max_completion_tokens",
      "integer_below_min_value"
    )
  }
  const temperature = body.temperature
  if (
    temperature !== undefined &&
    (typeof temperature !== "number" || temperature < 0 || temperature > 2)
  ) {
    return rejected(
      `Invalid 'temperature': decimal out of range. Expected a value between 0 and 2, but got ` +
        `${JSON.stringify(temperature)} instead.`,
      "temperature",
      "invalid_value"
    )
  }
  return { _tag: "Request", model: body.model, texts, lastUser, maxTokens }
}
