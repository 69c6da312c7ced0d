import { IntegrationError } from "@workway/core"
import type { Client } from "@workway/http"
import { Effect } from "effect"
import type { Generated, GenerateText, Summarize, Summary, Usage } from "./schemas"

/** Characters per token, as a rough estimate that holds for English prose. */
const charsPerToken = 4

/** Estimates the tokens of a text as one per four characters. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / charsPerToken)

/** Defaults of a summary. */
export const defaults = {
  contextTokens: 8000,
  maxTokens: 1000,
  concurrency: 4,
  instructions:
    "Summarise the text below faithfully and concisely. Keep decisions, action items with " +
    "their owners, dates and numbers. Do not add anything the text does not say.",
  system: "You write accurate, concise summaries."
} as const

/** Rounds of summarising summaries before giving up; each round at least halves the text. */
const maxRounds = 8

/** Tokens of the prompt around the text: framing words and role markers. */
const framingTokens = 64

/**
 * Cuts text into chunks of at most `maxTokens` estimated tokens, on line boundaries; a line
 * longer than a chunk is cut at the last space that keeps it within bounds.
 */
export const chunk = (text: string, maxTokens: number): ReadonlyArray<string> => {
  const maxChars = Math.max(1, maxTokens * charsPerToken)
  const pieces = text.split("\n").flatMap((line) => splitLine(line, maxChars))
  const chunks: Array<string> = []
  let current = ""
  for (const piece of pieces) {
    const joined = current === "" ? piece : `${current}\n${piece}`
    if (joined.length <= maxChars) {
      current = joined
      continue
    }
    if (current !== "") chunks.push(current)
    current = piece
  }
  if (current.trim() !== "") chunks.push(current)
  return chunks
}

const splitLine = (line: string, maxChars: number): ReadonlyArray<string> => {
  const pieces: Array<string> = []
  let rest = line
  while (rest.length > maxChars) {
    const space = rest.lastIndexOf(" ", maxChars)
    const end = space > maxChars / 2 ? space : maxChars
    pieces.push(rest.slice(0, end))
    rest = rest.slice(end).trimStart()
  }
  pieces.push(rest)
  return pieces
}

const addUsage = (a: Usage, b: Usage): Usage => ({
  promptTokens: a.promptTokens + b.promptTokens,
  completionTokens: a.completionTokens + b.completionTokens
})

const tooSmall = (detail: string) =>
  new IntegrationError({
    service: "ai",
    call: "summarize",
    reason: "Invalid",
    attempts: 0,
    code: "context_too_small",
    detail
  })

/**
 * Summarises a text of any length with `generate`. A text that fits the context, with room
 * left for the answer, takes one call; a longer one is cut into chunks on line boundaries,
 * each summarised (a few at once), and the summaries are summarised in turn until they fit.
 */
export const summarizeWith = (
  generate: (request: GenerateText) => Effect.Effect<Generated, Client.CallError>,
  request: Summarize
): Effect.Effect<Summary, Client.CallError> =>
  Effect.gen(function* () {
    const contextTokens = request.contextTokens ?? defaults.contextTokens
    const maxTokens =
      request.maxTokens ?? Math.min(defaults.maxTokens, Math.floor(contextTokens / 8))
    const instructions = request.instructions ?? defaults.instructions
    const framing = estimateTokens(defaults.system) + estimateTokens(instructions) + framingTokens
    const budget = contextTokens - maxTokens - framing
    // A part's summary takes at most a quarter of the part, so every round halves the text.
    const partTokens = Math.min(maxTokens, Math.floor(budget / 4))
    if (partTokens < 1) {
      return yield* tooSmall(
        `a context of ${contextTokens} tokens leaves ${budget} for the text after ${maxTokens} ` +
          `for the answer and ${framing} for the instructions`
      )
    }

    let usage: Usage = { promptTokens: 0, completionTokens: 0 }
    let calls = 0
    const call = (prompt: string, answerTokens: number) =>
      generate({ system: defaults.system, prompt, maxTokens: answerTokens }).pipe(
        Effect.tap((generated) =>
          Effect.sync(() => {
            usage = addUsage(usage, generated.usage)
            calls++
          })
        )
      )

    let text = request.text
    for (let round = 0; round < maxRounds; round++) {
      const preface =
        round === 0
          ? ""
          : "The text below is made of summaries of consecutive parts of one longer text.\n"
      if (estimateTokens(text) <= budget) {
        const final = yield* call(`${preface}${instructions}\n\n---\n${text}`, maxTokens)
        return { text: final.text, usage, calls }
      }
      const parts = chunk(text, budget)
      const summaries = yield* Effect.forEach(
        parts,
        (part, index) =>
          call(
            `${preface}This is part ${index + 1} of ${parts.length} of a longer text. ` +
              `${instructions}\n\n---\n${part}`,
            partTokens
          ),
        { concurrency: request.concurrency ?? defaults.concurrency }
      )
      text = summaries.map((summary) => summary.text.trim()).join("\n\n")
    }
    return yield* tooSmall(
      `the summaries still exceed ${budget} tokens after ${maxRounds} rounds; raise contextTokens`
    )
  })
