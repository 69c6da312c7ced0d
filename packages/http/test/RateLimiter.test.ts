import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Clock, Duration, Effect, Fiber, FastCheck as fc, TestClock } from "effect"
import * as Bucket from "../src/Bucket"
import type * as Client from "../src/Client"
import * as Limit from "../src/Limit"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { client } from "./support/Services"
import * as Upstream from "./support/Upstream"

interface Grant {
  readonly key: string
  readonly cost: number
  readonly at: number
}

/** Acquires `uses` in the background, recording each key's units at the moment they are granted. */
const acquireRecorded = (
  limiter: RateLimiter.RateLimiterService,
  uses: ReadonlyArray<Limit.LimitUse>,
  grants: Array<Grant>
) =>
  Effect.fork(
    limiter.acquire(uses).pipe(
      Effect.zipRight(Clock.currentTimeMillis),
      Effect.map((at) => {
        for (const use of uses) grants.push({ key: use.key, cost: use.cost ?? 1, at })
      })
    )
  )

/**
 * The largest excess of granted units over `burst + rate * w` across every window [t, t + w]
 * that starts and ends on a grant (the windows where the excess can peak).
 */
const worstExcess = (grants: ReadonlyArray<Grant>, limit: Limit.Limit): number => {
  const sorted = [...grants].sort((a, b) => a.at - b.at)
  const interval = Limit.intervalMillis(limit)
  let worst = Number.NEGATIVE_INFINITY
  for (let i = 0; i < sorted.length; i++) {
    let units = 0
    for (let j = i; j < sorted.length; j++) {
      units += sorted[j]?.cost ?? 0
      const width = (sorted[j]?.at ?? 0) - (sorted[i]?.at ?? 0)
      worst = Math.max(worst, units - (limit.burst + width / interval))
    }
  }
  return worst
}

const limitArbitrary = fc
  .record({
    rate: fc.integer({ min: 1, max: 20 }),
    burst: fc.integer({ min: 1, max: 8 }),
    per: fc.constantFrom(1000, 10_000, 60_000)
  })
  .map(({ rate, burst, per }): Limit.Limit => ({ rate, burst, per: Duration.millis(per) }))

const eventArbitrary = fc.record({
  gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  keys: fc.integer({ min: 1, max: 7 }),
  costs: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
  throttle: fc.option(
    fc.record({ key: fc.nat({ max: 2 }), pause: fc.integer({ min: 0, max: 5000 }) }),
    { freq: 6 }
  )
})

const scenarioArbitrary = fc.record({
  limits: fc.array(limitArbitrary, { minLength: 1, maxLength: 3 }),
  events: fc.array(eventArbitrary, { minLength: 1, maxLength: 16 })
})

describe("pacing", () => {
  it.effect.prop(
    "no key ever grants more than burst + rate * w units in any window of length w",
    [scenarioArbitrary],
    ([{ limits, events }]) =>
      Effect.gen(function* () {
        const limiter = yield* RateLimiter.RateLimiter
        const keys = limits.map((limit, i) => ({ key: `key-${i}`, limit }))
        const grants: Array<Grant> = []
        const fibers: Array<Fiber.RuntimeFiber<void>> = []

        let offset = 0
        for (const event of events) {
          offset += event.gap
          const chosen = keys.filter((_, i) => (event.keys >> i) & 1)
          const uses = (chosen.length > 0 ? chosen : keys.slice(0, 1)).map((use, i) => ({
            ...use,
            cost: 1 + ((event.costs[i] ?? 0) % use.limit.burst)
          }))
          const target =
            event.throttle === null ? undefined : keys[event.throttle.key % keys.length]
          const signal =
            event.throttle === null || target === undefined
              ? Effect.void
              : limiter.throttled([target], Duration.millis(event.throttle.pause))
          const arrive = Effect.zipRight(signal, acquireRecorded(limiter, uses, grants))
          fibers.push(yield* Effect.fork(Effect.delay(Effect.flatMap(arrive, Fiber.join), offset)))
        }
        yield* TestClock.adjust("30 days")
        yield* Fiber.joinAll(fibers)

        expect(grants.length).toBeGreaterThan(0)
        for (const { key, limit } of keys) {
          const excess = worstExcess(
            grants.filter((grant) => grant.key === key),
            limit
          )
          expect(excess, `${key} at ${Limit.describe(limit)}`).toBeLessThanOrEqual(1e-6)
        }
      }).pipe(Effect.provide(RateLimiter.layerMemory)),
    { timeout: 30_000, fastCheck: { numRuns: 60 } }
  )

  it.effect("callers queued on a key are granted one interval apart, in order", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      const uses = [{ key: "notion", limit: Limit.perSecond(3, 1) }]
      const grants: Array<Grant> = []

      const fibers = yield* Effect.forEach(Arr.range(1, 4), () =>
        acquireRecorded(limiter, uses, grants)
      )
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.joinAll(fibers)

      const times = grants.map((grant) => grant.at)
      expect(times[0]).toBe(0)
      times.slice(1).forEach((t, i) => {
        expect(t - (times[i] ?? 0)).toBeCloseTo(1000 / 3, 3)
      })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("acquire answers how long the caller waited", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      const uses = [{ key: "slack", limit: Limit.perMinute(20, 1) }]

      const first = yield* limiter.acquire(uses)
      const second = yield* within("5 seconds")(limiter.acquire(uses))

      expect(first).toBe(0)
      expect(second).toBe(3000)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a call with no limits is not paced", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      expect(yield* limiter.acquire([])).toBe(0)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("pauses", () => {
  it.effect("callers whose slot falls inside a pause wait until it ends", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      const uses = [{ key: "notion", limit: Limit.perSecond(1, 1) }]
      const grants: Array<Grant> = []

      const fibers = yield* Effect.forEach(Arr.range(1, 3), () =>
        acquireRecorded(limiter, uses, grants)
      )
      yield* TestClock.adjust("500 millis")
      yield* limiter.throttled(uses, Duration.seconds(3))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.joinAll(fibers)

      const times = grants.map((grant) => grant.at)
      expect(times[0]).toBe(0)
      expect(times.slice(1).every((t) => t >= 3500)).toBe(true)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a pause on one key does not hold calls on another", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      const notion = [{ key: "notion", limit: Limit.perSecond(3) }]
      const slack = [{ key: "slack", limit: Limit.perSecond(3) }]

      yield* limiter.throttled(notion, Duration.seconds(30))
      const waited = yield* within("1 second")(limiter.acquire(slack))

      expect(waited).toBe(0)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("accepted calls", () => {
  it.effect("a cut after which as many calls pass between throttles is undone", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter.RateLimiter
      const uses = [{ key: "notion", limit: Limit.perSecond(10, 1) }]
      const calls = (count: number) =>
        Effect.forEach(
          Arr.range(1, count),
          () => Effect.zipRight(limiter.acquire(uses), limiter.accepted(uses)),
          { discard: true }
        )

      yield* within("1 second")(calls(10))
      yield* limiter.throttled(uses, Duration.seconds(1))
      // Ten calls again, at the halved rate: the cut did not make the throttles rarer.
      yield* within("4 seconds")(calls(10))
      yield* limiter.throttled(uses, Duration.seconds(1))

      const grants: Array<Grant> = []
      const fibers = yield* Effect.forEach(Arr.range(1, 4), () =>
        acquireRecorded(limiter, uses, grants)
      )
      yield* TestClock.adjust("3 seconds")
      yield* Fiber.joinAll(fibers)

      // Paused until 6 s, then the configured rate, not a quarter of it.
      expect(grants.map((grant) => grant.at)).toEqual([6000, 6100, 6200, 6300])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("a burst of 429s", () => {
  const retrieve = (i: number): Client.Call => ({
    call: "pages.retrieve",
    method: "GET",
    path: `/pages/${i}`
  })

  it.effect(
    "pauses the key once: nothing is sent until Retry-After, then at the lowered rate",
    () =>
      Effect.gen(function* () {
        // Spends 4 units at once (one of the burst of 5 is held back), then 2 a second.
        const limit = Limit.perSecond(2, 5)
        const upstream = yield* Upstream.make((arrival, index) =>
          index > 0 && arrival.at < 1
            ? Upstream.json(
                429,
                { code: "rate_limited", message: "Slow down" },
                { "retry-after": "5" }
              )
            : Upstream.json(200, { object: "page", id: "p" })
        )
        const notion = yield* client(upstream, { limits: () => [{ key: "notion", limit }] })

        const answers = yield* within("1 minute")(
          Effect.forEach(Arr.range(1, 10), (i) => notion.send(retrieve(i)), {
            concurrency: "unbounded"
          })
        )

        expect(answers.every((answer) => answer.status === 200)).toBe(true)
        const times = upstream.arrivals.map((arrival) => arrival.at)
        // The first call is answered alone; the next three of the burst leave then and meet 429s.
        const firstWave = times.filter((t) => t === 0)
        const resumed = times.filter((t) => t > 0)
        expect(firstWave).toHaveLength(4)
        expect(times.filter((t) => t > 0 && t < 5000)).toEqual([])
        expect(resumed).toHaveLength(9)
        // Halved at the throttle, the key grants the halved burst (2) when the pause ends, then
        // one call per halved interval: the rate holds for a while before it recovers.
        const halved = Limit.intervalMillis(limit) / Bucket.defaultAdaptation.decrease
        expect(resumed).toEqual(Arr.range(0, 8).map((i) => 5000 + Math.max(0, i - 1) * halved))
      }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
