import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeAi from "../src/FakeAi"
import * as Samples from "../src/Samples"
import { type Client, manualClock, type Reply, transports } from "./support"

const origin = "https://api.openai.com"

interface Completion {
  readonly choices: Array<{ message: { role: string; content: string }; finish_reason: string }>
  readonly usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
}

const notes =
  "The launch stays on December 3rd. The free tier is capped at one thousand runs a month. " +
  "Grace drafts the blog post by Wednesday. Alan finishes the checkpointing fix. " +
  "Ada briefs support before the launch. Sales wants a pricing page before the announcement. " +
  "The status page runbook gets a section on vendor throttling. " +
  "Everyone reviews the onboarding checklist for the forty-two beta teams before Friday. " +
  "The customer webinar moves to December 10th."

describe.each(transports)("FakeAi over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeAi.Options = {}) => {
    const fake = FakeAi.make(options)
    client = await connect(fake)
    return fake
  }

  const complete = (body: unknown, key: string = Samples.credentials.ai.apiKey): Promise<Reply> =>
    client.send("POST", client.url(origin, "/v1/chat/completions"), {
      headers: { authorization: `Bearer ${key}` },
      body
    })

  it("refuses a wrong key with OpenAI's invalid_api_key error", async () => {
    await start()

    const reply = await complete(
      { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      "sk-wrong"
    )

    expect(reply.status).toBe(401)
    expect(reply.body).toMatchObject({
      error: { type: "invalid_request_error", code: "invalid_api_key" }
    })
    expect(typeof (reply.body as { error: { message: unknown } }).error.message).toBe("string")
  })

  it("answers a deterministic extractive summary of the last user message with its usage", async () => {
    const fake = await start()
    const body = {
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You write meeting notes." },
        { role: "user", content: "Ignore this earlier message." },
        { role: "user", content: notes }
      ],
      temperature: 0.2
    }

    const first = (await complete(body)).body as Completion
    const second = (await complete(body)).body as Completion

    const content = first.choices[0]!.message.content
    expect(first).toMatchObject({ object: "chat.completion", model: "gpt-4o-mini" })
    expect(first.choices[0]).toMatchObject({
      index: 0,
      finish_reason: "stop",
      message: { role: "assistant" }
    })
    expect(content.startsWith("Summary: The launch stays on December 3rd.")).toBe(true)
    expect(content.length).toBeLessThanOrEqual(410)
    expect(content).not.toContain("webinar")
    expect(second.choices[0]!.message.content).toBe(content)
    expect(first.usage.prompt_tokens).toBe(
      FakeAi.estimateTokens("You write meeting notes.") +
        FakeAi.estimateTokens("Ignore this earlier message.") +
        FakeAi.estimateTokens(notes)
    )
    expect(first.usage.total_tokens).toBe(first.usage.prompt_tokens + first.usage.completion_tokens)
    expect(fake.state.completions).toHaveLength(2)
  })

  it("summarizes a WebVTT transcript without its cue numbers and timings", async () => {
    await start()

    const reply = await complete({
      model: "m",
      messages: [{ role: "user", content: Samples.toVtt(Samples.transcriptCues) }]
    })

    const content = (reply.body as Completion).choices[0]!.message.content
    expect(content).toMatch(/^Summary: Ada Lovelace: Good morning everyone/)
    expect(content).not.toContain("-->")
  })

  it("cuts the answer at max_completion_tokens with finish_reason length", async () => {
    await start()

    const reply = await complete({
      model: "m",
      messages: [{ role: "user", content: notes }],
      max_completion_tokens: 5
    })

    const completion = reply.body as Completion
    expect(completion.choices[0]!.finish_reason).toBe("length")
    expect(completion.usage.completion_tokens).toBe(5)
  })

  it("rejects a prompt over the context window with context_length_exceeded", async () => {
    await start({ contextTokens: 100 })

    const reply = await complete({
      model: "m",
      messages: [{ role: "user", content: "x".repeat(404) }]
    })

    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({
      error: { type: "invalid_request_error", code: "context_length_exceeded" }
    })
    expect((reply.body as { error: { message: string } }).error.message).toContain(
      "This model's maximum context length is 100 tokens. However, your messages resulted in 101 tokens."
    )
  })

  it("rejects requests without a model, with no messages, or with a bad temperature", async () => {
    await start()

    const noModel = await complete({ messages: [{ role: "user", content: "hi" }] })
    const noMessages = await complete({ model: "m", messages: [] })
    const hot = await complete({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      temperature: 3
    })
    const notJson = await complete("{not json")

    expect([noModel, noMessages, hot, notJson].map((reply) => reply.status)).toEqual([
      400, 400, 400, 400
    ])
    expect(hot.body).toMatchObject({ error: { param: "temperature" } })
  })

  it("throttles with rate_limit_exceeded and OpenAI's retry and rate-limit headers", async () => {
    const clock = manualClock()
    const fake = await start({ now: clock.now, rateLimit: { rate: 0.5, burst: 2 } })
    const body = { model: "m", messages: [{ role: "user", content: "hi" }] }

    const first = await complete(body)
    await complete(body)
    const throttled = await complete(body)

    expect(first.headers.get("x-ratelimit-remaining-requests")).toBe("1")
    expect(throttled.status).toBe(429)
    expect(throttled.body).toMatchObject({ error: { code: "rate_limit_exceeded" } })
    expect(throttled.headers.get("retry-after-ms")).toBe("2000")
    expect(throttled.headers.get("retry-after")).toBe("2")
    expect(throttled.headers.get("x-ratelimit-remaining-requests")).toBe("0")
    expect(throttled.headers.get("x-ratelimit-reset-requests")).toBe("2s")
    expect(fake.stats.throttled).toBe(1)
  })
})

describe("FakeAi.formatDuration", () => {
  it("writes durations as OpenAI's headers do", () => {
    expect([20, 1500, 6000, 360_000, 61_500].map(FakeAi.formatDuration)).toEqual([
      "20ms",
      "1.5s",
      "6s",
      "6m0s",
      "1m1.5s"
    ])
  })
})
