import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Effect, Logger, Schema } from "effect"
import * as Client from "../../src/Client"
import * as Limit from "../../src/Limit"
import type { Upstream } from "./Upstream"

/** Notion's documented limit: an average of 3 requests per second. */
export const notionLimit: Limit.Limit = Limit.perSecond(3)

/** A Notion-like service: one key, bearer auth, the default classifier. */
export const notionOptions = (
  overrides: Partial<Client.ServiceOptions> = {}
): Client.ServiceOptions => ({
  service: "notion",
  baseUrl: "https://api.notion.test/v1",
  authorize: (request) => Effect.succeed(HttpClientRequest.bearerToken(request, "secret_token")),
  limits: () => [{ key: "notion", limit: notionLimit }],
  ...overrides
})

/** The client of a service whose requests reach the given fake vendor. */
export const client = (upstream: Upstream, overrides: Partial<Client.ServiceOptions> = {}) =>
  Client.make(notionOptions(overrides)).pipe(Effect.provide(upstream.layer))

/** A page as the tests' schema expects it. */
export const Page = Schema.Struct({ object: Schema.Literal("page"), id: Schema.String })

/** A log line as a test sees it. */
export interface LogLine {
  readonly level: string
  readonly message: string
}

/** A logger that keeps every line in `lines`. */
export const captureLogs = (lines: Array<LogLine>) =>
  Logger.replace(
    Logger.defaultLogger,
    Logger.make(({ logLevel, message }) => {
      const parts = Array.isArray(message) ? message : [message]
      lines.push({ level: logLevel.label, message: parts.map(String).join(" ") })
    })
  )
