import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Layer from "effect/Layer"
import * as InProcess from "./internal/fetch"
import * as Knobbed from "./internal/knobs"
import * as Loopback from "./internal/loopback"

export { ConnectionReset } from "./internal/reset"

/** A fake vendor API: a web handler from request to response. */
export type Handler = (request: Request) => Promise<Response>

/** Probabilities (0 to 1) that a request meets each fault; they add up along one roll. */
export interface Faults {
  /** A vendor-shaped 429, as if the vendor's own limit were hit. */
  readonly throttle?: number | undefined
  /** A vendor-shaped 503. */
  readonly serverError?: number | undefined
  /** The connection drops before any response. */
  readonly reset?: number | undefined
  /**
   * No response until the request is aborted or the server closes.
   *
   * **Note**: in process only the request's `AbortSignal` ends it; `HttpClient` always passes one.
   */
  readonly hang?: number | undefined
  /** The request is processed, then answered 200 with its JSON body cut in half. */
  readonly malformed?: number | undefined
}

/** How a fake misbehaves, and the clock and dice it uses to decide. */
export interface Knobs {
  /** A uniformly random delay before each response, in real time. */
  readonly latency?: { readonly minMs: number; readonly maxMs: number } | undefined
  /** A token bucket for the whole fake: `rate` requests a second, bursts up to `burst`. */
  readonly rateLimit?: { readonly rate: number; readonly burst: number } | undefined
  /** Faults injected at random. */
  readonly faults?: Faults | undefined
  /** The clock of the rate limit, the statistics and vendor timestamps; `Date.now` by default. */
  readonly now?: (() => number) | undefined
  /** The dice of latency and faults; `Math.random` by default. */
  readonly random?: (() => number) | undefined
}

/**
 * What a fake counted on its side of the wire, for tests and benchmarks to read (and
 * `resetStats` to empty). `throttled` counts every 429 it answered; `faults` counts injected
 * faults, an injected 429 included.
 */
export interface Stats {
  requests: number
  throttled: number
  faults: number
  /** Requests per route, keyed like `"POST /v1/pages"` (unknown routes by their path). */
  readonly byRoute: Record<string, number>
  /** Requests that reached a route without a 429 or a fault, per `Math.floor(now / 1000)`. */
  readonly acceptedPerSecond: Map<number, number>
}

/** A matched request: the request, its parsed URL and its path parameters, decoded once. */
export interface RouteContext {
  readonly request: Request
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
}

/** One route of a fake: a method and a path pattern whose `:name` segments are parameters. */
export interface Route {
  readonly method: string
  readonly pattern: string
  readonly handle: (context: RouteContext) => Response | Promise<Response>
}

/** The bucket's state after a request took a token. */
export interface RateState {
  /** The bucket's burst, the most requests it lets through at once. */
  readonly limit: number
  readonly remaining: number
  readonly resetMs: number
}

/** A 429 about to be answered. */
export interface Throttle {
  readonly route: string
  readonly limit: number
  readonly retryAfterMs: number
  /** `retryAfterMs` in whole seconds, rounded up, as `Retry-After` carries it. */
  readonly retryAfterSeconds: number
}

/** How a vendor words the answers the shared machinery gives. */
export interface Vendor {
  readonly notFound: (request: Request) => Response
  readonly throttled: (throttle: Throttle) => Response
  readonly unavailable: () => Response
  readonly internalError: (message: string) => Response
  /** Headers announcing the rate limit on accepted responses. */
  readonly rateHeaders?: (route: string, state: RateState) => Record<string, string>
}

/** A running loopback server. */
export interface Server {
  readonly url: string
  readonly port: number
  /** Stops listening and destroys open connections, hanging requests included. */
  readonly close: () => Promise<void>
}

/** A fake of one vendor: its handler, inspectable state, statistics and the origins it answers. */
export interface Fake<State> {
  readonly handler: Handler
  readonly state: State
  readonly stats: Stats
  readonly origins: ReadonlyArray<string>
}

/** Declares a route. */
export const route = (method: string, pattern: string, handle: Route["handle"]): Route => ({
  method: method.toUpperCase(),
  pattern,
  handle
})

/** A JSON response. */
export const json = (
  body: unknown,
  init: { readonly status?: number; readonly headers?: Record<string, string> } = {}
): Response =>
  new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { "content-type": "application/json; charset=utf-8", ...init.headers }
  })

/** Builds a fake's handler from its routes, applying latency, the rate limit and faults. */
export const make = (options: {
  readonly vendor: Vendor
  readonly routes: ReadonlyArray<Route>
  readonly knobs?: Knobs | undefined
}): { readonly handler: Handler; readonly stats: Stats } => Knobbed.make(options)

/** Empties a fake's statistics. */
export const resetStats = (stats: Stats): void => {
  stats.requests = 0
  stats.throttled = 0
  stats.faults = 0
  for (const key of Object.keys(stats.byRoute)) delete stats.byRoute[key]
  stats.acceptedPerSecond.clear()
}

/** Serves a handler over HTTP on 127.0.0.1, on a random port unless one is given. */
export const serve = (handler: Handler, options?: { readonly port?: number }): Promise<Server> =>
  Loopback.serve(handler, options?.port ?? 0)

/** The handlers of some fakes keyed by each origin they answer, for `fetchOf` and `layer`. */
export const routesOf = (
  ...fakes: ReadonlyArray<Pick<Fake<unknown>, "handler" | "origins">>
): Record<string, Handler> =>
  Object.fromEntries(fakes.flatMap((fake) => fake.origins.map((origin) => [origin, fake.handler])))

/** A `fetch` answered in process by the handler of the request's origin. */
export const fetchOf = (routes: Readonly<Record<string, Handler>>): typeof fetch =>
  InProcess.fetchOf(routes)

/** An `HttpClient` whose requests are answered in process by the fakes. */
export const layer = (
  routes: Readonly<Record<string, Handler>>
): Layer.Layer<HttpClient.HttpClient> =>
  FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetchOf(routes))))
