import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { RateLimiter } from "@workway/http"
import { FakeServer } from "@workway/testing"
import { Effect, Layer, type Scope } from "effect"
import { type Prism, startPrism } from "./prism"

/** One request the integration sent through Prism, and what Prism made of it. */
export interface Exchange {
  readonly method: string
  readonly url: string
  readonly status: number
  /** Prism's `sl-violations` header: the fake's answer broke the spec. */
  readonly violations: string | null
  /** The body of a 422 or 500, which says what broke the spec. */
  readonly problem: string | undefined
}

/** A `fetch` that keeps every exchange in `log`. */
export const recordingFetch = (log: Array<Exchange>): typeof fetch => {
  const recorded = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const response = await fetch(request)
    const status = response.status
    log.push({
      method: request.method,
      url: request.url,
      status,
      violations: response.headers.get("sl-violations"),
      problem: status === 422 || status === 500 ? await response.clone().text() : undefined
    })
    return response
  }
  return recorded
}

/** What an integration needs to run for real: `fetch` with every exchange logged, a limiter. */
export const infrastructure = (
  log: Array<Exchange>
): Layer.Layer<HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.merge(
    FetchHttpClient.layer.pipe(
      Layer.provide(Layer.succeed(FetchHttpClient.Fetch, recordingFetch(log)))
    ),
    RateLimiter.layerMemory
  )

/** A fake served on loopback behind `prism proxy`, both stopped when the scope closes. */
export interface Proxied {
  /** The fake itself, for calls the spec does not cover (OAuth, batches, downloads). */
  readonly fake: FakeServer.Server
  readonly prism: Prism
}

/** Serves a fake on loopback and puts Prism in front of it; `prefix` is the fake's base path. */
export const proxied = (
  handler: FakeServer.Handler,
  spec: string,
  prefix = ""
): Effect.Effect<Proxied, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const fake = await FakeServer.serve(handler)
      try {
        return { fake, prism: await startPrism(spec, `${fake.url}${prefix}`) }
      } catch (error) {
        await fake.close()
        throw error
      }
    }),
    ({ fake, prism }) => Effect.promise(() => prism.close().then(fake.close))
  )

/**
 * The exchanges that broke the contract: a 422 (our request breaks the spec), a 500 or an
 * `sl-violations` header (the fake's answer breaks it), each described for the failure message.
 */
export const breaches = (log: ReadonlyArray<Exchange>): ReadonlyArray<string> =>
  log
    .filter(
      (exchange) =>
        exchange.status === 422 || exchange.status === 500 || exchange.violations !== null
    )
    .map(
      (exchange) =>
        `${exchange.method} ${exchange.url} -> ${exchange.status} ${exchange.violations ?? ""} ` +
        `${exchange.problem ?? ""}`
    )
