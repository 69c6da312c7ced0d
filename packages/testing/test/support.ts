import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as FakeServer from "../src/FakeServer"

/** A response, read in full. */
export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON; `undefined` when it is not JSON. */
  readonly body: unknown
}

/** What a test sends. */
export interface Send {
  readonly headers?: Record<string, string>
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown
  readonly signal?: AbortSignal
}

/** A way to reach a fake: real HTTP on loopback, or the in-process `HttpClient` layer. */
export interface Client {
  /** The URL of a path at one of the fake's origins. */
  readonly url: (origin: string, path: string) => string
  readonly send: (method: string, url: string, options?: Send) => Promise<Reply>
  readonly close: () => Promise<void>
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const encode = (options: Send) => {
  if (options.body === undefined) return { headers: options.headers ?? {}, body: undefined }
  if (typeof options.body === "string")
    return { headers: options.headers ?? {}, body: options.body }
  return {
    headers: { "content-type": "application/json", ...options.headers },
    body: JSON.stringify(options.body)
  }
}

/** Reaches a fake over real HTTP on 127.0.0.1 with the global `fetch`. */
export const loopback = async (
  fake: Pick<FakeServer.Fake<unknown>, "handler">
): Promise<Client> => {
  const server = await FakeServer.serve(fake.handler)
  return {
    url: (_origin, path) => `${server.url}${path}`,
    send: async (method, url, options = {}) => {
      const { headers, body } = encode(options)
      const response = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(options.signal === undefined ? {} : { signal: options.signal })
      })
      const text = await response.text()
      return { status: response.status, headers: response.headers, text, body: parse(text) }
    },
    close: server.close
  }
}

/** Reaches a fake in process through `FakeServer.layer` and the platform `HttpClient`. */
export const inProcess = async (
  fake: Pick<FakeServer.Fake<unknown>, "handler" | "origins">
): Promise<Client> => {
  const layer = FakeServer.layer(FakeServer.routesOf(fake))
  return {
    url: (origin, path) => `${origin}${path}`,
    send: (method, url, options = {}) => {
      const { headers, body } = encode(options)
      const base = HttpClientRequest.make(method.toUpperCase() as "POST")(url).pipe(
        HttpClientRequest.setHeaders(headers)
      )
      const request =
        body === undefined
          ? base
          : HttpClientRequest.bodyText(base, body, headers["content-type"] ?? "text/plain")
      return Effect.gen(function* () {
        const client = yield* HttpClient.HttpClient
        const response = yield* client.execute(request)
        const text = yield* response.text
        return {
          status: response.status,
          headers: new Headers(response.headers),
          text,
          body: parse(text)
        }
      }).pipe(Effect.provide(layer), Effect.runPromise)
    },
    close: async () => undefined
  }
}

/** Both ways of reaching a fake, for tests that must hold over each. */
export const transports = [
  { name: "loopback HTTP", connect: loopback },
  { name: "in-process HttpClient layer", connect: inProcess }
] as const

/** A clock tests move by hand. */
export const manualClock = (start = Date.parse("2026-11-12T16:31:00Z")) => {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    }
  }
}
