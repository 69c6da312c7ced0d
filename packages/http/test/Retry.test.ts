import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { Clock, Effect, Fiber, Option, TestClock } from "effect"
import * as Classify from "../src/Classify"
import type * as Client from "../src/Client"
import * as Limit from "../src/Limit"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { captureLogs, client, type LogLine, Page } from "./support/Services"
import * as Upstream from "./support/Upstream"

const retrieve: Client.Call = { call: "pages.retrieve", method: "GET", path: "/pages/p1" }
const create: Client.Call = { call: "pages.create", method: "POST", path: "/pages", json: {} }

const page = Upstream.json(200, { object: "page", id: "p1" })
const rateLimited = (headers: Record<string, string> = {}) =>
  Upstream.json(429, { object: "error", code: "rate_limited", message: "Slow down" }, headers)
const unavailable = (headers: Record<string, string> = {}) =>
  Upstream.json(
    503,
    { object: "error", code: "service_unavailable", message: "Try later" },
    headers
  )

const integrationError = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const gaps = (arrivals: ReadonlyArray<Upstream.Arrival>) =>
  arrivals.slice(1).map((arrival, i) => arrival.at - (arrivals[i]?.at ?? 0))

describe("Retry-After", () => {
  it.effect("a 429 with Retry-After: 7 delays the next attempt by 7 s, not by the backoff", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(rateLimited({ "retry-after": "7" }), page)
      )
      const notion = yield* client(upstream)

      const fiber = yield* Effect.fork(notion.send(retrieve))
      yield* TestClock.adjust("6999 millis")
      expect(upstream.arrivals).toHaveLength(1)
      yield* TestClock.adjust("1 millis")
      const answer = yield* within("1 second")(Effect.fromFiber(fiber))

      expect(answer.status).toBe(200)
      expect(upstream.arrivals.map((arrival) => arrival.at)).toEqual([0, 7000])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("retry-after-ms sets the delay in milliseconds", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(rateLimited({ "retry-after-ms": "2500", "retry-after": "9" }), page)
      )
      const notion = yield* client(upstream)

      yield* within("10 seconds")(notion.send(retrieve))

      expect(upstream.arrivals.map((arrival) => arrival.at)).toEqual([0, 2500])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("an HTTP-date Retry-After is measured from when the answer arrived", () =>
    Effect.gen(function* () {
      const start = Date.parse("2026-11-02T10:00:00Z")
      yield* TestClock.setTime(start)
      const until = new Date(start + 7000).toUTCString()
      const upstream = yield* Upstream.make(
        Upstream.sequence(rateLimited({ "retry-after": until }), page)
      )
      const notion = yield* client(upstream)

      yield* within("10 seconds")(notion.send(retrieve))

      expect(upstream.arrivals.map((arrival) => arrival.at - start)).toEqual([0, 7000])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a Retry-After on a 503 replaces the backoff too", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(unavailable({ "retry-after": "3" }), page)
      )
      const notion = yield* client(upstream)

      yield* within("5 seconds")(notion.send(retrieve))

      expect(upstream.arrivals.map((arrival) => arrival.at)).toEqual([0, 3000])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a Retry-After beyond the retry window ends the call instead of waiting", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(rateLimited({ "retry-after": "3600" }), page)
      )
      const notion = yield* client(upstream)

      const error = yield* within("1 second")(Effect.flip(notion.send(retrieve)))

      expect(upstream.arrivals).toHaveLength(1)
      expect(integrationError(error)).toMatchObject({ reason: "RateLimited", attempts: 1 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("which failures are retried", () => {
  it.effect("a GET answered 503 is retried with exponential backoff and jitter", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(unavailable(), unavailable(), page))
      const notion = yield* client(upstream)

      const answer = yield* within("5 seconds")(notion.send(retrieve))

      expect(answer.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(3)
      const [first, second] = gaps(upstream.arrivals)
      expect(first).toBeGreaterThanOrEqual(400)
      expect(first).toBeLessThanOrEqual(600)
      expect(second).toBeGreaterThanOrEqual(800)
      expect(second).toBeLessThanOrEqual(1200)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a POST answered 503 is not retried: the vendor may have acted on it", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(unavailable(), page))
      const notion = yield* client(upstream)

      const error = integrationError(yield* within("1 minute")(Effect.flip(notion.send(create))))

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({ reason: "Transient", attempts: 1, status: 503 })
      expect(error.detail).toContain("not retried because POST pages.create is not safe to repeat")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a POST that times out is not retried", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence({ status: 0, hang: true }, page))
      const notion = yield* client(upstream, { timeout: "10 seconds" })

      const error = integrationError(yield* within("10 seconds")(Effect.flip(notion.send(create))))
      yield* TestClock.adjust("1 minute")

      expect(upstream.arrivals).toHaveLength(1)
      expect(upstream.inFlight()).toBe(0)
      expect(error).toMatchObject({ reason: "Timeout", attempts: 1, code: "timeout" })
      expect(error.status).toBeUndefined()
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a GET that times out is retried, each attempt with its own timeout", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence({ status: 0, hang: true }, page))
      const notion = yield* client(upstream, { timeout: "10 seconds" })

      const answer = yield* within("11 seconds")(notion.send(retrieve))

      expect(answer.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(2)
      expect(upstream.arrivals[1]?.at).toBeGreaterThanOrEqual(10_400)
      expect(upstream.arrivals[1]?.at).toBeLessThanOrEqual(10_600)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a POST answered 429 is retried: the vendor refused it before acting", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(rateLimited({ "retry-after": "1" }), page)
      )
      const notion = yield* client(upstream)

      const answer = yield* within("2 seconds")(notion.send(create))

      expect(answer.status).toBe(200)
      expect(upstream.arrivals.map((arrival) => [arrival.method, arrival.at])).toEqual([
        ["POST", 0],
        ["POST", 1000]
      ])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a POST with an idempotency key is retried when the classifier says it is safe", () =>
    Effect.gen(function* () {
      const stripeClassify: Classify.Classifier = (answer) => {
        const verdict = Classify.byStatus(answer)
        const shouldRetry = answer.headers["stripe-should-retry"]
        if (verdict._tag !== "Transient" || shouldRetry === undefined) return verdict
        return { ...verdict, retrySafe: shouldRetry === "true" }
      }
      const failure = Upstream.json(
        500,
        { error: { type: "api_error", message: "Something went wrong" } },
        { "stripe-should-retry": "true" }
      )
      const customer = Upstream.json(200, { object: "customer", id: "cus_1" })
      const upstream = yield* Upstream.make(Upstream.sequence(failure, customer))
      const stripe = yield* client(upstream, {
        service: "stripe",
        baseUrl: "https://api.stripe.test/v1",
        classify: stripeClassify
      })

      const answer = yield* within("2 seconds")(
        stripe.send({
          call: "customers.create",
          method: "POST",
          path: "/customers",
          headers: { "idempotency-key": "crm-42" },
          json: { email: "a@example.com" }
        })
      )

      expect(answer.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(2)
      expect(upstream.arrivals.map((arrival) => arrival.headers["idempotency-key"])).toEqual([
        "crm-42",
        "crm-42"
      ])
      expect(upstream.arrivals[1]?.body).toBe(upstream.arrivals[0]?.body)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a transient verdict marked unsafe is not retried, even on a GET", () =>
    Effect.gen(function* () {
      const classify: Classify.Classifier = (answer) => {
        const verdict = Classify.byStatus(answer)
        return verdict._tag === "Transient" ? { ...verdict, retrySafe: false } : verdict
      }
      const upstream = yield* Upstream.make(Upstream.sequence(unavailable(), page))
      const notion = yield* client(upstream, { classify })

      const error = integrationError(yield* within("1 minute")(Effect.flip(notion.send(retrieve))))

      expect(upstream.arrivals).toHaveLength(1)
      expect(error).toMatchObject({ reason: "Transient", attempts: 1 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a connection failure on a GET is retried and reported as Transport", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => ({ status: 0, reject: true }))
      const notion = yield* client(upstream, { retry: { maxAttempts: 3 } })

      const error = integrationError(yield* within("1 minute")(Effect.flip(notion.send(retrieve))))

      expect(upstream.arrivals).toHaveLength(3)
      expect(error).toMatchObject({ reason: "Transport", attempts: 3, code: "transport" })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("a create that looks for its result before it is sent again", () => {
  const created = { object: "page" as const, id: "p1" }
  const reset: Upstream.Reply = { status: 0, reject: true }

  it.effect("after a reset, a page the lookup finds is the answer and nothing is resent", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(reset, page))
      const notion = yield* client(upstream)
      const lookups: Array<number> = []
      const findExisting = Effect.map(Clock.currentTimeMillis, (at) => {
        lookups.push(at)
        return Option.some(created)
      })

      const answer = yield* within("5 seconds")(notion.json(create, Page, { findExisting }))

      expect(answer).toEqual(created)
      expect(upstream.arrivals).toHaveLength(1)
      expect(lookups).toHaveLength(1)
      expect(lookups[0]).toBeGreaterThan(0)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a timeout whose create never landed is sent again once the lookup finds nothing", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence({ status: 0, hang: true }, page))
      const notion = yield* client(upstream, { timeout: "10 seconds" })
      const lines: Array<LogLine> = []
      let lookups = 0
      const findExisting = Effect.sync(() => {
        lookups += 1
        return Option.none()
      })

      const answer = yield* within("12 seconds")(
        notion.json(create, Page, { findExisting }).pipe(Effect.provide(captureLogs(lines)))
      )

      expect(answer).toEqual(created)
      expect(upstream.arrivals).toHaveLength(2)
      expect(lookups).toBe(1)
      expect(lines.map((line) => line.message)).toEqual([
        expect.stringMatching(
          new RegExp(
            "^notion pages.create failed transiently \\(timeout\\), perhaps after taking effect; " +
              "looking for its result before sending it again; " +
              "retrying in \\d\\.\\d s \\(attempt 2 of 5\\)$"
          )
        )
      ])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a throttle after the lookup found nothing needs no second lookup", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(unavailable(), rateLimited({ "retry-after": "1" }), page)
      )
      const notion = yield* client(upstream)
      let lookups = 0
      const findExisting = Effect.sync(() => {
        lookups += 1
        return Option.none()
      })

      yield* within("10 seconds")(notion.json(create, Page, { findExisting }))

      expect(upstream.arrivals).toHaveLength(3)
      expect(lookups).toBe(1)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("the time a lookup takes does not use up maxElapsed", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(reset, unavailable(), page))
      const notion = yield* client(upstream, {
        retry: { maxAttempts: 5, maxElapsed: "10 seconds" }
      })
      // Queued behind many calls at a lowered rate, the lookup takes 30 s to find nothing.
      const findExisting = Effect.as(Effect.sleep("30 seconds"), Option.none())

      const answer = yield* within("2 minutes")(notion.json(create, Page, { findExisting }))

      expect(answer).toEqual(created)
      expect(upstream.arrivals).toHaveLength(3)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a lookup that fails ends the call with the lookup's error", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(reset, page))
      const notion = yield* client(upstream)
      const lost = new IntegrationError({
        service: "notion",
        call: "blocks.children.list",
        reason: "NotFound",
        attempts: 1,
        detail: "no such parent"
      })

      const error = yield* within("5 seconds")(
        Effect.flip(notion.json(create, Page, { findExisting: Effect.fail(lost) }))
      )

      expect(integrationError(error)).toMatchObject({
        call: "blocks.children.list",
        reason: "NotFound"
      })
      expect(upstream.arrivals).toHaveLength(1)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("attempts", () => {
  it.effect("retries stop at maxAttempts and the error says how many and why", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => unavailable())
      const notion = yield* client(upstream, { retry: { maxAttempts: 4 } })

      const error = integrationError(yield* within("1 minute")(Effect.flip(notion.send(retrieve))))

      expect(upstream.arrivals).toHaveLength(4)
      expect(error).toMatchObject({
        service: "notion",
        call: "pages.retrieve",
        reason: "Transient",
        attempts: 4,
        status: 503,
        code: "service_unavailable",
        detail: "Try later"
      })
      expect(error.message).toBe(
        "notion pages.retrieve failed after 4 attempts: Transient (HTTP 503): Try later"
      )
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("each retry logs what happened, the delay and the attempt number", () =>
    Effect.gen(function* () {
      const lines: Array<LogLine> = []
      const upstream = yield* Upstream.make(() => rateLimited({ "retry-after": "1.2" }))
      const notion = yield* client(upstream, { retry: { maxElapsed: "10 seconds" } })

      const error = integrationError(
        yield* within("1 minute")(Effect.flip(notion.send(retrieve))).pipe(
          Effect.provide(captureLogs(lines))
        )
      )

      // Throttles do not use up the 5 attempts (each adds one); the 10 s window ends the call.
      expect(upstream.arrivals).toHaveLength(9)
      expect(error).toMatchObject({ reason: "RateLimited", attempts: 9, status: 429 })
      expect(error.message).toContain("failed after 9 attempts: RateLimited (HTTP 429)")
      expect(lines).toEqual(
        [2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => ({
          level: "WARN",
          message:
            "notion rate limit hit on pages.retrieve; retrying in 1.2 s " +
            `(attempt ${attempt} of ${attempt + 4})`
        }))
      )
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a failure that is not retried logs no retry", () =>
    Effect.gen(function* () {
      const lines: Array<LogLine> = []
      const upstream = yield* Upstream.make(() => unavailable())
      const notion = yield* client(upstream)

      yield* within("1 minute")(Effect.flip(notion.send(create))).pipe(
        Effect.provide(captureLogs(lines))
      )

      expect(lines).toEqual([])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("throttles do not use up maxAttempts: the vendor asked to be sent again", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(
        Upstream.sequence(
          unavailable(),
          rateLimited({ "retry-after": "1" }),
          rateLimited({ "retry-after": "1" }),
          unavailable(),
          page
        )
      )
      const notion = yield* client(upstream, { retry: { maxAttempts: 3 } })
      const lines: Array<LogLine> = []

      const answer = yield* within("1 minute")(
        notion.send(retrieve).pipe(Effect.provide(captureLogs(lines)))
      )

      expect(answer.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(5)
      expect(lines.map((line) => line.message.replace(/.*\(/, "("))).toEqual([
        "(attempt 2 of 3)",
        "(attempt 3 of 4)",
        "(attempt 4 of 5)",
        "(attempt 5 of 5)"
      ])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("no retry starts after maxElapsed", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => rateLimited({ "retry-after": "4" }))
      const notion = yield* client(upstream, {
        retry: { maxAttempts: 10, maxElapsed: "10 seconds" }
      })

      const error = integrationError(yield* within("1 minute")(Effect.flip(notion.send(retrieve))))

      expect(upstream.arrivals.map((arrival) => arrival.at)).toEqual([0, 4000, 8000])
      expect(error.attempts).toBe(3)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("time spent queued behind other calls under the limit does not use up maxElapsed", () =>
    Effect.gen(function* () {
      // Page p2 fails twice, then answers; every other page answers at once.
      let p2Failures = 0
      const upstream = yield* Upstream.make((arrival) => {
        if (!arrival.url.endsWith("/pages/p2") || p2Failures >= 2) return page
        p2Failures += 1
        return Upstream.json(500, { object: "error", code: "internal_server_error" })
      })
      // One call a second, no burst: p2's retry queues behind 20 calls for about 20 s.
      const notion = yield* client(upstream, {
        limits: () => [{ key: "notion", limit: Limit.perSecond(1, 1) }],
        retry: { maxAttempts: 3, maxElapsed: "10 seconds" }
      })
      const p2 = yield* Effect.fork(notion.send({ ...retrieve, path: "/pages/p2" }))
      yield* TestClock.adjust("1 millis")
      const others = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 20 }), () => notion.send(retrieve), {
          concurrency: "unbounded"
        })
      )

      const answer = yield* within("40 seconds")(Effect.fromFiber(p2))
      yield* within("5 seconds")(Fiber.join(others))

      expect(answer.status).toBe(200)
      const p2Arrivals = upstream.arrivals.filter((arrival) => arrival.url.endsWith("/pages/p2"))
      expect(p2Arrivals).toHaveLength(3)
      expect(p2Arrivals[1]?.at).toBeGreaterThan(19_000)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
