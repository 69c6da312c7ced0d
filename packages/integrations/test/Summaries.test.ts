import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { Effect } from "effect"
import { Ai } from "../src"

const { Summaries } = Ai

/** A model that answers each prompt with its first `words` words, and counts its calls. */
const echoModel = (words = 20) => {
  const prompts: Array<{ prompt: string; maxTokens: number | undefined }> = []
  const generate = (request: Ai.GenerateText) =>
    Effect.sync(() => {
      prompts.push({ prompt: request.prompt, maxTokens: request.maxTokens })
      const text = request.prompt.split("---\n").at(-1)?.split(/\s+/).slice(0, words).join(" ")
      return {
        text: text ?? "",
        usage: { promptTokens: Summaries.estimateTokens(request.prompt), completionTokens: words },
        finishReason: "stop"
      }
    })
  return { generate, prompts }
}

describe("Summaries.chunk", () => {
  it("keeps lines whole and every chunk within the token budget", () => {
    const lines = Array.from({ length: 50 }, (_, index) => `line ${index}: ${"w ".repeat(30)}`)

    const chunks = Summaries.chunk(lines.join("\n"), 100)

    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) expect(Summaries.estimateTokens(chunk)).toBeLessThanOrEqual(100)
    expect(chunks.join("\n")).toBe(lines.join("\n"))
  })

  it("cuts a line longer than a chunk at a space", () => {
    const line = Array.from({ length: 100 }, (_, index) => `word${index}`).join(" ")

    const chunks = Summaries.chunk(line, 25)

    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(100)
    expect(chunks.join(" ")).toBe(line)
  })
})

describe("Summaries.summarizeWith", () => {
  it.effect("one call when the text fits the context, with room left for the answer", () =>
    Effect.gen(function* () {
      const model = echoModel()

      const summary = yield* Summaries.summarizeWith(model.generate, { text: "short text" })

      expect(summary.calls).toBe(1)
      expect(model.prompts[0]?.maxTokens).toBe(1000)
    })
  )

  it.effect("parts, then summaries of summaries until they fit", () =>
    Effect.gen(function* () {
      const model = echoModel(200)
      const text = Array.from({ length: 400 }, (_, index) => `${index} ${"lorem ".repeat(15)}`)

      const summary = yield* Summaries.summarizeWith(model.generate, {
        text: text.join("\n"),
        contextTokens: 2000
      })

      const parts = model.prompts.filter((p) => p.prompt.includes("This is part"))
      const merges = model.prompts.filter((p) => p.prompt.startsWith("The text below is made of"))
      expect(parts.length).toBeGreaterThan(5)
      expect(merges.length).toBeGreaterThan(1)
      expect(summary.calls).toBe(model.prompts.length)
      expect(summary.usage.completionTokens).toBe(200 * model.prompts.length)
      for (const { prompt } of model.prompts) {
        expect(Summaries.estimateTokens(prompt)).toBeLessThanOrEqual(2000 - 250)
      }
    })
  )

  it.effect("a context too small for the instructions fails as Invalid", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Summaries.summarizeWith(echoModel().generate, { text: "x", contextTokens: 100 })
      )

      expect(error).toBeInstanceOf(IntegrationError)
      expect(error).toMatchObject({ reason: "Invalid", code: "context_too_small" })
    })
  )
})
