import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Clock, Duration, Effect, Layer, Runtime } from "effect"

/** One request as the fake vendor received it. */
export interface Arrival {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** TestClock time at which the request arrived (ms). */
  readonly at: number
}

/** What the fake vendor answers to one request. */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** How long the vendor takes to answer, by the TestClock. */
  readonly after?: Duration.DurationInput
  /** The vendor never answers; the request ends only when the caller aborts it. */
  readonly hang?: true
  /** The connection fails: `fetch` rejects. */
  readonly reject?: true
}

/** Chooses the reply to the `index`-th request (0-based). */
export type Script = (arrival: Arrival, index: number) => Reply

/** A fake vendor reached through `fetch`, timed by the TestClock of the test that made it. */
export interface Upstream {
  readonly arrivals: ReadonlyArray<Arrival>
  /** Requests being answered right now. */
  readonly inFlight: () => number
  /** The most requests that were ever being answered at once. */
  readonly maxInFlight: () => number
  /** An `HttpClient` whose every request reaches this fake. */
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** A JSON reply. */
export const json = (
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {}
): Reply => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body)
})

/** Replies in order; the last reply answers every request beyond the list. */
export const sequence =
  (...replies: ReadonlyArray<Reply>): Script =>
  (_, index) => {
    const reply = replies[Math.min(index, replies.length - 1)]
    if (reply === undefined) throw new Error("sequence needs at least one reply")
    return reply
  }

const headersOf = (init: RequestInit | undefined): Record<string, string> => {
  const headers: Record<string, string> = {}
  new Headers(init?.headers).forEach((value, key) => {
    headers[key] = value
  })
  return headers
}

const textOf = (body: BodyInit | null | undefined): string => {
  if (body === undefined || body === null) return ""
  if (typeof body === "string") return body
  if (body instanceof Uint8Array) return new TextDecoder().decode(body)
  if (body instanceof URLSearchParams) return body.toString()
  return String(body)
}

const aborted = (signal: AbortSignal | null | undefined): Promise<never> =>
  new Promise((_, reject) => {
    signal?.addEventListener("abort", () => reject(signal.reason), { once: true })
  })

/** A fake vendor answering by `script`; request times are read from the current TestClock. */
export const make = (script: Script): Effect.Effect<Upstream> =>
  Effect.gen(function* () {
    const runtime = yield* Effect.runtime<never>()
    const now = () => Runtime.runSync(runtime)(Clock.currentTimeMillis)
    const arrivals: Array<Arrival> = []
    let inFlight = 0
    let maxInFlight = 0

    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const arrival: Arrival = {
        method: init?.method ?? "GET",
        url: String(input),
        headers: headersOf(init),
        body: textOf(init?.body),
        at: now()
      }
      const reply = script(arrival, arrivals.length)
      arrivals.push(arrival)
      inFlight += 1
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        if (reply.hang) return await aborted(init?.signal)
        if (reply.reject) throw new TypeError("fetch failed: connection reset")
        if (reply.after !== undefined) {
          const signal = init?.signal
          await Runtime.runPromise(runtime)(
            Effect.sleep(Duration.decode(reply.after)),
            signal ? { signal } : {}
          )
        }
        return new Response(reply.body ?? "", {
          status: reply.status,
          headers: reply.headers ?? {}
        })
      } finally {
        inFlight -= 1
      }
    }

    return {
      arrivals,
      inFlight: () => inFlight,
      maxInFlight: () => maxInFlight,
      layer: FetchHttpClient.layer.pipe(
        Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch as typeof globalThis.fetch))
      )
    }
  })
