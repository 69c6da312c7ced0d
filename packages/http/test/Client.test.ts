import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { Effect, Metric, Schema } from "effect"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { client, Page } from "./support/Services"
import * as Upstream from "./support/Upstream"

const integrationError = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const validationError = Upstream.json(400, {
  object: "error",
  status: 400,
  code: "validation_error",
  message: "body.parent.page_id should be a valid uuid"
})

describe("requests", () => {
  it.effect("a call becomes one authorized request under the base URL", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, { object: "page", id: "p1" }))
      const notion = yield* client(upstream)

      const page = yield* notion.json(
        {
          call: "pages.create",
          method: "POST",
          path: "/pages",
          query: { filter_properties: "title", archived: false, cursor: undefined },
          headers: { "notion-version": "2022-06-28" },
          json: { parent: { page_id: "p0" } }
        },
        Page
      )

      expect(page).toEqual({ object: "page", id: "p1" })
      expect(upstream.arrivals).toHaveLength(1)
      const [arrival] = upstream.arrivals
      expect(arrival?.method).toBe("POST")
      expect(arrival?.url).toBe(
        "https://api.notion.test/v1/pages?filter_properties=title&archived=false"
      )
      expect(arrival?.headers).toMatchObject({
        authorization: "Bearer secret_token",
        accept: "application/json",
        "content-type": "application/json",
        "notion-version": "2022-06-28"
      })
      expect(JSON.parse(arrival?.body ?? "")).toEqual({ parent: { page_id: "p0" } })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("an absolute path is used as it is", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, {}))
      const notion = yield* client(upstream)

      yield* notion.send({
        call: "files.download",
        method: "GET",
        path: "https://files.notion.test/f/1"
      })

      expect(upstream.arrivals.map((arrival) => arrival.url)).toEqual([
        "https://files.notion.test/f/1"
      ])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("permanent failures", () => {
  it.effect("a 400 is not retried and says which service and call failed", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => validationError)
      const notion = yield* client(upstream)

      const error = integrationError(
        yield* within("1 minute")(
          Effect.flip(notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/x" }))
        )
      )

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({
        service: "notion",
        call: "pages.retrieve",
        reason: "Invalid",
        attempts: 1,
        status: 400,
        code: "validation_error",
        detail: "body.parent.page_id should be a valid uuid"
      })
      expect(error.message).toBe(
        "notion pages.retrieve failed after 1 attempt: Invalid (HTTP 400): " +
          "body.parent.page_id should be a valid uuid"
      )
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect.each([
    [401, "Unauthorized"],
    [403, "Unauthorized"],
    [404, "NotFound"],
    [409, "Invalid"],
    [422, "Invalid"],
    [410, "Permanent"]
  ] as const)("a %i is not retried and fails as %s", ([status, reason]) =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() =>
        Upstream.json(status, { object: "error", message: "no" })
      )
      const notion = yield* client(upstream)

      const error = integrationError(
        yield* within("1 minute")(
          Effect.flip(notion.send({ call: "users.retrieve", method: "GET", path: "/users/u" }))
        )
      )

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({ reason, attempts: 1, status })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("credentials that cannot be obtained fail the call before any request", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, {}))
      const refused = new IntegrationError({
        service: "notion",
        call: "oauth.token",
        reason: "Unauthorized",
        attempts: 1,
        status: 401,
        detail: "the refresh token was revoked"
      })
      const notion = yield* client(upstream, { authorize: () => Effect.fail(refused) })

      const error = yield* within("1 minute")(
        Effect.flip(notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/p" }))
      )

      expect(integrationError(error)).toMatchObject({
        call: "oauth.token",
        reason: "Unauthorized",
        detail: "the refresh token was revoked"
      })
      expect(upstream.arrivals).toHaveLength(0)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("decoding", () => {
  it.effect("an answer that does not match the schema fails as Decode, naming the path", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, { object: "page", id: 42 }))
      const notion = yield* client(upstream)

      const error = integrationError(
        yield* within("1 minute")(
          Effect.flip(
            notion.json({ call: "pages.retrieve", method: "GET", path: "/pages/p1" }, Page)
          )
        )
      )

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({
        service: "notion",
        call: "pages.retrieve",
        reason: "Decode",
        attempts: 1,
        status: 200
      })
      expect(error.detail).toContain("$.id")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a nested mismatch names the full path", () =>
    Effect.gen(function* () {
      const List = Schema.Struct({ results: Schema.Array(Page), has_more: Schema.Boolean })
      const upstream = yield* Upstream.make(() =>
        Upstream.json(200, {
          results: [
            { object: "page", id: "a" },
            { object: "block", id: "b" }
          ],
          has_more: false
        })
      )
      const notion = yield* client(upstream)

      const error = integrationError(
        yield* within("1 minute")(
          Effect.flip(notion.json({ call: "search", method: "POST", path: "/search" }, List))
        )
      )

      expect(error.reason).toBe("Decode")
      expect(error.detail).toContain("$.results.1.object")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a body that is not JSON fails as Decode and is not retried", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => ({ status: 200, body: "<html>gateway</html>" }))
      const notion = yield* client(upstream)

      const error = integrationError(
        yield* within("1 minute")(
          Effect.flip(
            notion.json({ call: "pages.retrieve", method: "GET", path: "/pages/p1" }, Page)
          )
        )
      )

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({ reason: "Decode", attempts: 1 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("metrics", () => {
  /** The state of the metric named `name` whose tags are exactly `tags`, as an exporter sees it. */
  const stateOf = (name: string, tags: Record<string, string>) =>
    Effect.map(Metric.snapshot, (pairs) => {
      const found = pairs.filter(
        (pair) =>
          pair.metricKey.name === name &&
          pair.metricKey.tags.length === Object.keys(tags).length &&
          pair.metricKey.tags.every((label) => tags[label.key] === label.value)
      )
      expect(found).toHaveLength(1)
      return found[0]?.metricState as unknown as { readonly count: number; readonly sum?: number }
    })

  it.effect("each call counts its requests, throttles and latency under its integration", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(
          Upstream.json(429, { code: "rate_limited", message: "slow" }, { "retry-after": "1" }),
          { ...Upstream.json(200, { object: "page", id: "p1" }), after: "30 millis" }
        )
      )
      const notion = yield* client(upstream, { service: "metered" })

      yield* within("1 minute")(
        notion.json({ call: "pages.retrieve", method: "GET", path: "/pages/p1" }, Page)
      )

      const integration = { integration: "metered" }
      expect(yield* stateOf("workway_calls_total", integration)).toMatchObject({ count: 1 })
      expect(yield* stateOf("workway_requests_total", integration)).toMatchObject({ count: 2 })
      expect(yield* stateOf("workway_throttled_total", integration)).toMatchObject({ count: 1 })
      expect(
        yield* stateOf("workway_call_latency", { ...integration, time_unit: "milliseconds" })
      ).toMatchObject({ count: 1, sum: 1030 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("labels added by the caller are kept beside the integration", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, { object: "page", id: "p1" }))
      const notion = yield* client(upstream, { service: "labelled" })

      yield* notion
        .json({ call: "pages.retrieve", method: "GET", path: "/pages/p1" }, Page)
        .pipe(Effect.tagMetrics("workflow", "sync"))

      const tags = { integration: "labelled", workflow: "sync" }
      expect(yield* stateOf("workway_calls_total", tags)).toMatchObject({ count: 1 })
      expect(
        yield* stateOf("workway_call_latency", { ...tags, time_unit: "milliseconds" })
      ).toMatchObject({ count: 1 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
