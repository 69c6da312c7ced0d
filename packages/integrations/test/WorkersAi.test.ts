import { describe, expect, it } from "@effect/vitest"
import { IntegrationError, Trigger, Workflow } from "@workway/core"
import { Invocation, type Limit, RateLimiter } from "@workway/http"
import { Effect, Fiber, Layer, Schema } from "effect"
import { Ai } from "../src"
import { advanceWhenSleeping, spyLimiter } from "./support/Fakes"

/** A model behind a binding: answers each `run` with the next reply, recording what it got. */
const model = (...replies: ReadonlyArray<(inputs: Ai.WorkersAiInputs) => Promise<unknown>>) => {
  const runs: Array<{ readonly model: string; readonly inputs: Ai.WorkersAiInputs }> = []
  const binding: Ai.WorkersAiBinding = {
    run: (name, inputs) => {
      runs.push({ model: name, inputs })
      const reply = replies[Math.min(runs.length - 1, replies.length - 1)]
      return reply === undefined ? Promise.reject(new Error("no reply")) : reply(inputs)
    }
  }
  return { binding, runs }
}

/** Answers like a text generation model: the last message, prefixed. */
const echo = async (inputs: Ai.WorkersAiInputs) => ({
  response: `Echo: ${inputs.messages.at(-1)?.content ?? ""}`,
  usage: { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 }
})

const aiOver = (
  binding: Ai.WorkersAiBinding,
  options: Partial<Ai.WorkersAiOptions<Ai.WorkersAiBinding>> = {},
  limiter: Layer.Layer<RateLimiter.RateLimiter> = RateLimiter.layerMemory
) => Effect.provide(Ai.Ai, Ai.layerWorkersAi({ binding, ...options }).pipe(Layer.provide(limiter)))

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const inRun = <A, E>(run: Effect.Effect<A, E>) =>
  Workflow.execute(
    Workflow.make({
      name: "workers-ai",
      version: "1",
      trigger: Trigger.manual({ payload: Schema.Struct({}) }),
      inputs: Schema.Struct({}),
      run: () => run
    }),
    { trigger: {} }
  )

describe("Ai.layerWorkersAi", () => {
  it.effect("generates text with env.AI.run(model, { messages }) and reads { response }", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(echo)
      const ai = yield* aiOver(binding, { model: "@cf/meta/llama-3.1-8b-instruct" })

      const generated = yield* ai.generateText({
        system: "Be brief.",
        prompt: "The launch stays on December 3rd.",
        maxTokens: 200,
        temperature: 0.2
      })

      expect(generated).toEqual({
        text: "Echo: The launch stays on December 3rd.",
        usage: { promptTokens: 12, completionTokens: 4 },
        finishReason: null
      })
      expect(runs).toEqual([
        {
          model: "@cf/meta/llama-3.1-8b-instruct",
          inputs: {
            messages: [
              { role: "system", content: "Be brief." },
              { role: "user", content: "The launch stays on December 3rd." }
            ],
            max_tokens: 200,
            temperature: 0.2
          }
        }
      ])
    })
  )

  it.effect("a request's model replaces the configured one; usage is zero when not given", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(async () => ({ response: "ok" }))
      const ai = yield* aiOver(binding)

      const generated = yield* ai.generateText({ prompt: "hi", model: "@cf/mistral/small" })

      expect(runs[0]?.model).toBe("@cf/mistral/small")
      expect(generated.usage).toEqual({ promptTokens: 0, completionTokens: 0 })
    })
  )

  it.effect("each run is recorded in the run's report as integration ai", () =>
    Effect.gen(function* () {
      const { binding } = model(echo)
      const ai = yield* aiOver(binding)

      const execution = yield* inRun(
        Effect.all([ai.generateText({ prompt: "one" }), ai.generateText({ prompt: "two" })])
      )

      expect(execution.report.integrations.ai).toMatchObject({
        calls: 2,
        requests: 2,
        failures: 0
      })
      expect(execution.report.calls[0]).toMatchObject({
        integration: "ai",
        call: "workers-ai.run",
        attempts: 1,
        throttled: 0,
        status: null,
        outcome: "ok"
      })
    })
  )

  it.effect("is paced under its own key, 300 requests a minute by default", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const { binding } = model(echo)
      const ai = yield* aiOver(binding, {}, spyLimiter(uses))

      yield* ai.generateText({ prompt: "hi" })

      expect(uses).toEqual([{ key: "ai:workers-ai", limit: Ai.defaultWorkersAiLimit }])
      expect(Ai.defaultWorkersAiLimit).toMatchObject({ rate: 300 })
    })
  )

  it.effect("a capacity error is retried after a backoff, and counted as a retry", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(
        () => Promise.reject(new Error("3040: Capacity temporarily exceeded, please try again.")),
        echo
      )
      const ai = yield* aiOver(binding)

      const fiber = yield* Effect.fork(inRun(ai.generateText({ prompt: "hello" })))
      yield* advanceWhenSleeping(fiber, "1 second")
      const execution = yield* Fiber.join(fiber)

      expect(execution.success && execution.result.text).toBe("Echo: hello")
      expect(runs.length).toBe(2)
      expect(execution.report.integrations.ai).toMatchObject({ calls: 1, requests: 2, retries: 1 })
    })
  )

  it.effect("a rate limit rejection is retried and counted as throttled", () =>
    Effect.gen(function* () {
      const { binding } = model(() => Promise.reject(new Error("429 Too Many Requests")), echo)
      const ai = yield* aiOver(binding)

      const fiber = yield* Effect.fork(inRun(ai.generateText({ prompt: "hello" })))
      yield* advanceWhenSleeping(fiber, "1 second")
      const execution = yield* Fiber.join(fiber)

      expect(execution.success).toBe(true)
      expect(execution.report.integrations.ai).toMatchObject({ throttled: 1, requests: 2 })
    })
  )

  it.effect("an unknown model fails at once as Permanent with the binding's message", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(() => Promise.reject(new Error("5007: No such model")))
      const ai = yield* aiOver(binding)

      const error = failure(yield* Effect.flip(ai.generateText({ prompt: "hi" })))

      expect(error).toMatchObject({
        service: "ai",
        call: "workers-ai.run",
        reason: "Permanent",
        attempts: 1,
        detail: "5007: No such model"
      })
      expect(runs.length).toBe(1)
    })
  )

  it.effect("an answer without { response } fails as Decode", () =>
    Effect.gen(function* () {
      const { binding } = model(async () => ({ result: { text: "elsewhere" } }))
      const ai = yield* aiOver(binding)

      const error = failure(yield* Effect.flip(ai.generateText({ prompt: "hi" })))

      expect(error).toMatchObject({ reason: "Decode", attempts: 1 })
      expect(error.detail).toContain("response")
    })
  )

  it.effect("a model that does not answer in time fails as Timeout", () =>
    Effect.gen(function* () {
      const { binding } = model(() => new Promise(() => {}))
      const ai = yield* aiOver(binding, {
        settings: { timeout: "5 seconds", retry: { maxAttempts: 1 } }
      })

      const fiber = yield* Effect.fork(Effect.flip(ai.generateText({ prompt: "hi" })))
      yield* advanceWhenSleeping(fiber, "5 seconds")
      const error = failure(yield* Fiber.join(fiber))

      expect(error).toMatchObject({ reason: "Timeout", attempts: 1 })
    })
  )

  it.effect("each run counts against the invocation's subrequest budget", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(echo)
      const ai = yield* aiOver(binding)
      const invocation = yield* Invocation.make({ subrequests: 1 })

      yield* ai
        .generateText({ prompt: "one" })
        .pipe(Effect.provideService(Invocation.Invocation, invocation))
      const error = yield* Effect.flip(
        ai
          .generateText({ prompt: "two" })
          .pipe(Effect.provideService(Invocation.Invocation, invocation))
      )

      expect(error._tag).toBe("BudgetExhausted")
      expect(runs.length).toBe(1)
    })
  )

  it.effect("summarize works over the binding like over the API", () =>
    Effect.gen(function* () {
      const { binding, runs } = model(async () => ({ response: "A short summary." }))
      const ai = yield* aiOver(binding)

      const summary = yield* ai.summarize({ text: "Ada: the launch stays on December 3rd." })

      expect(summary).toMatchObject({ text: "A short summary.", calls: 1 })
      expect(runs[0]?.inputs.messages[0]?.role).toBe("system")
    })
  )
})
