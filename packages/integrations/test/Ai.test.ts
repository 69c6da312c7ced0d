import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { FakeAi, FakeServer, Samples } from "@workway/testing"
import { Effect, Fiber } from "effect"
import { Ai } from "../src"
import {
  advanceWhenSleeping,
  credentials,
  recorded,
  rolls,
  type Seen,
  serviceOf
} from "./support/Fakes"

const aiOver = (
  fake: FakeServer.Fake<FakeAi.AiState>,
  seen: Array<Seen> = [],
  options: Ai.Options = {}
) => serviceOf(Ai.Ai, Ai.layer({ ...credentials.ai, ...options }), recorded(fake, seen))

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const transcript = Samples.transcriptCues.map((cue) => `${cue.speaker}: ${cue.text}`).join("\n")

describe("generateText", () => {
  it.effect("posts an OpenAI chat completion with the key, model and limits", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make()
      const seen: Array<Seen> = []
      const ai = yield* aiOver(fake, seen)

      const generated = yield* ai.generateText({
        system: "Be brief.",
        prompt: "The launch stays on December 3rd. Pricing is next.",
        maxTokens: 200,
        temperature: 0.2
      })

      expect(generated.text).toBe("Summary: The launch stays on December 3rd. Pricing is next.")
      expect(generated.usage.promptTokens).toBeGreaterThan(0)
      expect(generated.finishReason).toBe("stop")
      expect(seen[0]?.url).toBe("https://api.openai.com/v1/chat/completions")
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${Samples.credentials.ai.apiKey}`)
      expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "The launch stays on December 3rd. Pricing is next." }
        ],
        max_completion_tokens: 200,
        temperature: 0.2
      })
    })
  )

  it.effect("a 429 rate_limit_exceeded is retried after retry-after-ms", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make({ faults: { throttle: 0.5 }, random: rolls(0, 0.99) })
      const ai = yield* aiOver(fake)

      const fiber = yield* Effect.fork(ai.generateText({ prompt: "Hello there." }))
      const waited = yield* advanceWhenSleeping(fiber, "1 second")
      const generated = yield* Fiber.join(fiber)

      expect(waited).toBe(1000)
      expect(generated.text).toBe("Summary: Hello there.")
      expect(fake.stats).toMatchObject({ requests: 2, throttled: 1 })
    })
  )

  it.effect("a 429 insufficient_quota fails at once: waiting does not buy credit", () =>
    Effect.gen(function* () {
      let requests = 0
      const outOfCredit: FakeServer.Handler = async () => {
        requests++
        return FakeServer.json(
          {
            error: {
              message: "You exceeded your current quota.",
              type: "insufficient_quota",
              code: "insufficient_quota"
            }
          },
          { status: 429 }
        )
      }
      const ai = yield* serviceOf(Ai.Ai, Ai.layer(credentials.ai), {
        "https://api.openai.com": outOfCredit
      })

      const error = failure(yield* Effect.flip(ai.generateText({ prompt: "Hello" })))

      expect(error).toMatchObject({ reason: "Permanent", code: "insufficient_quota", attempts: 1 })
      expect(requests).toBe(1)
    })
  )

  it.effect("a 503 is retried: a completion has no side effects", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make({ faults: { serverError: 0.5 }, random: rolls(0, 0.99) })
      const ai = yield* aiOver(fake, [], { settings: { retry: { baseDelay: "100 millis" } } })

      const fiber = yield* Effect.fork(ai.generateText({ prompt: "Hello again." }))
      yield* advanceWhenSleeping(fiber, "200 millis")
      yield* Fiber.join(fiber)

      expect(fake.stats.requests).toBe(2)
    })
  )
})

describe("summarize", () => {
  it.effect("a text that fits the context takes one call", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make()
      const ai = yield* aiOver(fake)

      const summary = yield* ai.summarize({ text: transcript })

      expect(summary.calls).toBe(1)
      expect(fake.state.completions).toHaveLength(1)
      expect(summary.text).toMatch(/^Summary: /)
      expect(fake.state.completions[0]?.prompt).toContain(transcript)
    })
  )

  it.effect("a text beyond the context is summarised in parts, then the parts' summaries", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make()
      const ai = yield* aiOver(fake)
      const long = Array.from({ length: 20 }, () => transcript).join("\n")

      const summary = yield* ai.summarize({ text: long })

      const prompts = fake.state.completions.map((completion) => completion.prompt)
      expect(summary.calls).toBe(prompts.length)
      expect(prompts.length).toBeGreaterThanOrEqual(3)
      expect(prompts.slice(0, -1).every((prompt) => /This is part \d+ of \d+/.test(prompt))).toBe(
        true
      )
      expect(prompts.at(-1)).toMatch(/^The text below is made of summaries/)
      expect(summary.usage.promptTokens).toBeGreaterThan(FakeAi.estimateTokens(long))
    })
  )

  it.effect("a model with a smaller context gets the same text in parts, each call within it", () =>
    Effect.gen(function* () {
      const fake = FakeAi.make({ contextTokens: 500 })
      const ai = yield* aiOver(fake)

      const summary = yield* ai.summarize({ text: transcript, contextTokens: 500 })

      expect(FakeAi.estimateTokens(transcript)).toBeLessThan(500)
      expect(summary.calls).toBe(3)
      expect(fake.state.completions).toHaveLength(3)
    })
  )
})
