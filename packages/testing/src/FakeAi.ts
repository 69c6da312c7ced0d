import * as FakeServer from "./FakeServer"
import { openAiError, parse } from "./internal/aiRequest"
import * as Ids from "./internal/ids"
import { isObject } from "./internal/json"
import * as Samples from "./Samples"

/** A chat completion the fake answered. */
export interface Completion {
  readonly model: string
  readonly prompt: string
  readonly content: string
}

/** The fake AI endpoint: its key, context window and the completions it answered. */
export interface AiState {
  readonly apiKey: string
  readonly contextTokens: number
  readonly completions: Array<Completion>
}

/** Options of the fake AI endpoint: knobs, the API key and the model's context window. */
export interface Options extends FakeServer.Knobs {
  readonly apiKey?: string | undefined
  /** Tokens a request may use, prompt and completion together; 8,000 by default. */
  readonly contextTokens?: number | undefined
}

/** The origin of the OpenAI API. */
export const origins: ReadonlyArray<string> = ["https://api.openai.com"]

/** Estimates tokens as the fake counts them: one per 4 characters, rounded up. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

/** Formats a duration as OpenAI's rate-limit headers do: `20ms`, `1.5s`, `6m0s`. */
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${Math.ceil(ms)}ms`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Number(((ms % 60_000) / 1000).toFixed(3))
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`
}

const cueNoise = /^(WEBVTT.*|\d+|\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}.*)$/

/**
 * The deterministic "summary" the fake writes: `Summary: ` and the first sentences of the
 * text, up to about 400 characters, with WebVTT cue numbers and timings left out.
 */
export const summarize = (text: string): string => {
  // Prompts that separate instructions from material with a "---" line summarise the material.
  const separator = text.lastIndexOf("\n---\n")
  const material = separator === -1 ? text : text.slice(separator + 5)
  const prose = material
    .split("\n")
    .filter((line) => !cueNoise.test(line.trim()))
    .join(" ")
    .replace(/\s+/g, " ")
    .trim()
  let summary = ""
  for (const sentence of prose.split(/(?<=[.!?])\s+/)) {
    const next = summary === "" ? sentence : `${summary} ${sentence}`
    if (next.length > 400) break
    summary = next
  }
  return `Summary: ${summary === "" ? prose.slice(0, 400) : summary}`
}

const vendor: FakeServer.Vendor = {
  notFound: (request) =>
    openAiError(404, `Invalid URL (${request.method} ${new URL(request.url).pathname})`),
  throttled: (throttle) =>
    openAiError(
      429,
      `Rate limit reached on requests per min (RPM): Limit ${throttle.limit}, Used ` +
        `${throttle.limit}, Requested 1. Please try again in ` +
        `${formatDuration(throttle.retryAfterMs)}. Visit ` +
        `https://platform.openai.com/account/rate-limits to learn more.`,
      { type: "requests", code: "rate_limit_exceeded" },
      {
        "retry-after-ms": String(throttle.retryAfterMs),
        "retry-after": String(throttle.retryAfterSeconds),
        "x-ratelimit-limit-requests": String(throttle.limit),
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-reset-requests": formatDuration(throttle.retryAfterMs)
      }
    ),
  unavailable: () =>
    openAiError(503, "The server is overloaded or not ready yet.", { type: "server_error" }),
  internalError: (message) =>
    openAiError(500, `The server had an error while processing your request: ${message}`, {
      type: "server_error"
    }),
  rateHeaders: (_route, rate) => ({
    "x-ratelimit-limit-requests": String(rate.limit),
    "x-ratelimit-remaining-requests": String(rate.remaining),
    "x-ratelimit-reset-requests": formatDuration(rate.resetMs)
  })
}

/** Makes a fake OpenAI-compatible endpoint answering `POST /v1/chat/completions`. */
export const make = (options: Options = {}): FakeServer.Fake<AiState> => {
  const now = options.now ?? Date.now
  const state: AiState = {
    apiKey: options.apiKey ?? Samples.credentials.ai.apiKey,
    contextTokens: options.contextTokens ?? 8000,
    completions: []
  }

  const complete = async ({ request }: FakeServer.RouteContext) => {
    const authorization = request.headers.get("authorization") ?? ""
    if (!authorization.startsWith("Bearer ") || authorization === "Bearer ") {
      return openAiError(
        401,
        "You didn't provide an API key. You need to provide your API key in an Authorization " +
          "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
      )
    }
    const key = authorization.slice("Bearer ".length)
    if (key !== state.apiKey) {
      return openAiError(
        401,
        `Incorrect API key provided: ${key.slice(0, 6)}****. You can find your API key at ` +
          `https://platform.openai.com/account/api-keys.`,
        { code: "invalid_api_key" }
      )
    }

    let body: unknown
    try {
      body = JSON.parse(await request.text())
    } catch {
      return openAiError(
        400,
        "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload."
      )
    }
    if (!isObject(body)) return openAiError(400, "The request body must be a JSON object.")
    const parsed = parse(body)
    if (parsed._tag === "Rejected") return parsed.response

    const promptTokens = parsed.texts.reduce((sum, text) => sum + estimateTokens(text), 0)
    const requested = promptTokens + (parsed.maxTokens ?? 0)
    if (requested > state.contextTokens) {
      const detail =
        parsed.maxTokens === undefined
          ? `your messages resulted in ${promptTokens} tokens. Please reduce the length of the messages.`
          : `you requested ${requested} tokens (${promptTokens} in the messages, ` +
            `${parsed.maxTokens} in the completion). Please reduce the length of the messages ` +
            `or completion.`
      return openAiError(
        400,
        `This model's maximum context length is ${state.contextTokens} tokens. However, ${detail}`,
        { param: "messages", code: "context_length_exceeded" }
      )
    }

    const summary = summarize(parsed.lastUser)
    const cut = parsed.maxTokens !== undefined && estimateTokens(summary) > parsed.maxTokens
    const content = cut ? summary.slice(0, (parsed.maxTokens ?? 0) * 4) : summary
    state.completions.push({ model: parsed.model, prompt: parsed.lastUser, content })
    const completionTokens = estimateTokens(content)
    return FakeServer.json({
      id: `chatcmpl-${Ids.opaque(`completion:${state.completions.length}`)}`,
      object: "chat.completion",
      created: Math.floor(now() / 1000),
      model: parsed.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content, refusal: null },
          logprobs: null,
          finish_reason: cut ? "length" : "stop"
        }
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens
      },
      system_fingerprint: "fp_fake"
    })
  }

  const routes = [FakeServer.route("POST", "/v1/chat/completions", complete)]
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs: options })
  return { handler, state, stats, origins }
}
