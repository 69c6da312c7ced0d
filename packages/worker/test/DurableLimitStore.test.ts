import { env } from "cloudflare:test"
import { ConfigurationError, RunReport } from "@workway/core"
import { Limit, RateLimiter } from "@workway/http"
import { DurableLimitStore, type RateLimitStore, WorkerEnv } from "@workway/worker"
import { Duration, Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { hammer } from "./fixtures/hammer"
import { busiestWindow, freshKey } from "./fixtures/windows"

const objectOf = (key: string) => key.split(":").slice(0, 2).join(":")
const recorded = (key: string) =>
  env.RECORDING_RATE_LIMITER.get(env.RECORDING_RATE_LIMITER.idFromName(objectOf(key))).granted(key)

describe("DurableLimitStore", () => {
  it("leases several units per round trip and stays within the limit", async () => {
    const load = { rate: 50, burst: 10, callers: 10, millis: 1500 }
    const leased = { ...load, key: freshKey("leased"), lease: true }
    const single = { ...load, key: freshKey("single"), lease: false }
    const [withLease, without] = await Effect.runPromise(
      Effect.all(
        [hammer(env.RECORDING_RATE_LIMITER, leased), hammer(env.RECORDING_RATE_LIMITER, single)],
        {
          concurrency: "unbounded"
        }
      )
    )

    expect(without.stats.roundTrips).toBe(without.stats.reservations)
    expect(withLease.stats.roundTrips).toBeLessThan(withLease.stats.reservations / 2)
    for (const [options, result] of [
      [leased, withLease],
      [single, without]
    ] as const) {
      const granted = await recorded(options.key)
      expect(busiestWindow(granted, 1000)).toBeLessThanOrEqual(options.rate + options.burst)
      expect(busiestWindow(result.used, 1000)).toBeLessThanOrEqual(options.rate + options.burst)
      expect(result.stats.leased).toBe(granted.length)
      // Units still leased when the callers stopped are neither used nor expired yet.
      const leftOver = granted.length - result.used.length - result.stats.unused
      expect(leftOver).toBeGreaterThanOrEqual(0)
      expect(leftOver).toBeLessThanOrEqual(16)
    }
    console.log(
      `one isolate at 50/s for 1.5 s: leasing ${withLease.stats.roundTrips} round trips for ` +
        `${withLease.stats.reservations} reservations (${withLease.stats.leased} leased, ` +
        `${withLease.stats.unused} unused); ` +
        `without ${without.stats.roundTrips} for ${without.stats.reservations}`
    )
  })

  it("counts its round trips in the report of the run that made them", async () => {
    const use = { key: freshKey("reported"), limit: Limit.perSecond(2, 4) }
    const { report, stats } = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* DurableLimitStore.make(env.WORKWAY_RATE_LIMITER, { lease: false })
        const recorder = yield* RunReport.makeRecorder({ workflow: "w", version: "1", runId: "r" })
        for (let i = 0; i < 3; i++) {
          yield* store.reserve([use]).pipe(Effect.provideService(RunReport.RunRecorder, recorder))
        }
        return { report: yield* recorder.report, stats: yield* store.stats }
      })
    )
    expect(stats.roundTrips).toBe(3)
    expect(report.counters).toEqual({ rateLimiterRoundTrips: 3 })
  })

  it("batches concurrent callers into one round trip even below the leasing rate", async () => {
    const key = freshKey("batched")
    // A burst of 9 spends 8 at once: one unit is held back for network jitter.
    const use = { key, limit: Limit.perSecond(2, 9) }
    const stats = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* DurableLimitStore.make(env.WORKWAY_RATE_LIMITER)
        yield* Effect.all(
          Array.from({ length: 8 }, () => store.reserve([use])),
          { concurrency: "unbounded" }
        )
        return yield* store.stats
      })
    )
    expect(stats.reservations).toBe(8)
    expect(stats.roundTrips).toBeLessThanOrEqual(2)
    expect(stats.unused).toBe(0)
  })

  it("drops leased units and waits out the pause after a throttle signal", async () => {
    const key = freshKey("throttle")
    const use = { key, limit: Limit.perSecond(20, 10) }
    const { after, stats } = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* DurableLimitStore.make(env.WORKWAY_RATE_LIMITER)
        // Back-to-back reservations show sustained demand: the second round trip leases ahead.
        yield* store.reserve([use])
        yield* store.reserve([use])
        yield* store.throttled([use], 1500)
        const after = yield* store.reserve([use])
        return { after, stats: yield* store.stats }
      })
    )
    expect(stats.unused).toBe(1)
    expect(after).toBeGreaterThan(1400)
  })

  it("paces in the isolate alone, and says so, when the object cannot be reached", async () => {
    // A namespace of another class: every reservation call fails as the store's would.
    const broken = env.WORKWAY_STATE as unknown as DurableObjectNamespace<RateLimitStore>
    const use = { key: freshKey("unreachable"), limit: Limit.perSecond(1, 1) }
    const { first, second, stats } = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* DurableLimitStore.make(broken)
        const first = yield* store.reserve([use])
        const second = yield* store.reserve([use])
        return { first, second, stats: yield* store.stats }
      })
    )
    expect(first).toBe(0)
    expect(second).toBeGreaterThan(900)
    expect(stats.fallbacks).toBe(2)
    expect(stats.roundTrips).toBe(1)
  })

  it("provides the limiter's store from the Worker's binding", async () => {
    const key = freshKey("layer")
    const use = { key, limit: Limit.perSecond(1, 1) }
    const layer = RateLimiter.layer.pipe(
      Layer.provideMerge(DurableLimitStore.layer()),
      Layer.provide(Layer.succeed(WorkerEnv, env as unknown as Record<string, unknown>))
    )
    const { waited, stats } = await Effect.runPromise(
      Effect.gen(function* () {
        const limiter = yield* RateLimiter.RateLimiter
        yield* limiter.acquire([use])
        const store = yield* DurableLimitStore.DurableLimitStore
        const reserved = yield* store.reserve([use])
        return { waited: reserved, stats: yield* store.stats }
      }).pipe(Effect.provide(layer))
    )
    expect(waited).toBeGreaterThan(900)
    expect(stats.roundTrips).toBe(2)
  })

  it("fails to build, naming the binding and its wrangler entry, when the binding is missing", async () => {
    const exit = await Effect.runPromiseExit(
      Layer.build(DurableLimitStore.layer({ binding: "MISSING_LIMITER" })).pipe(
        Effect.provideService(WorkerEnv, {}),
        Effect.scoped
      )
    )
    expect(Exit.isFailure(exit)).toBe(true)
    if (Exit.isFailure(exit)) {
      const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      expect(error).toBeInstanceOf(ConfigurationError)
      expect(String(error?.message)).toContain('"MISSING_LIMITER"')
      expect(String(error?.message)).toContain("RateLimitStore")
    }
  })

  it("reserves keys of different objects in each and waits for the latest", async () => {
    const a = { key: freshKey("split"), limit: Limit.perSecond(1, 1) }
    const b = { key: freshKey("split"), limit: Limit.perSecond(1, 1) }
    const wait = await Effect.runPromise(
      Effect.gen(function* () {
        const store = yield* DurableLimitStore.make(env.WORKWAY_RATE_LIMITER, { lease: false })
        yield* store.reserve([b])
        return yield* store.reserve([a, b])
      })
    )
    expect(Duration.toMillis(Duration.millis(wait))).toBeGreaterThan(900)
  })
})
