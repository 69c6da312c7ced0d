import { Clock, Context, Duration, Effect, Layer } from "effect"
import type { LimitUse } from "./Limit"
import * as LimitStore from "./LimitStore"

/** Paces calls to their keys' limits; every isolate sharing a store shares the limits. */
export interface RateLimiterService {
  /** Waits until every limit of the call allows it; answers the milliseconds waited. */
  readonly acquire: (uses: ReadonlyArray<LimitUse>) => Effect.Effect<number>
  /** Pauses the call's keys after a throttle signal, so every caller waits, not only this one. */
  readonly throttled: (
    uses: ReadonlyArray<LimitUse>,
    retryAfter: Duration.Duration
  ) => Effect.Effect<void>
}

/** The rate limiter every outbound call goes through. */
export class RateLimiter extends Context.Tag("@workway/http/RateLimiter")<
  RateLimiter,
  RateLimiterService
>() {}

/**
 * A limiter over the given store. Pauses seen by this isolate are also remembered locally:
 * a caller whose reserved moment falls inside a pause that began while it waited reserves again
 * after the pause, instead of meeting the vendor's 429 at the reserved moment.
 */
export const make = Effect.gen(function* () {
  const store = yield* LimitStore.LimitStore
  const pauses = new Map<string, number>()

  const pausedUntil = (uses: ReadonlyArray<LimitUse>): number =>
    uses.reduce((latest, use) => Math.max(latest, pauses.get(use.key) ?? 0), 0)

  const acquire = (uses: ReadonlyArray<LimitUse>): Effect.Effect<number> =>
    Effect.gen(function* () {
      if (uses.length === 0) return 0
      const start = yield* Clock.currentTimeMillis
      for (let round = 0; round < 5; round++) {
        const wait = yield* store.reserve(uses)
        if (wait > 0) yield* Effect.sleep(Duration.millis(wait))
        const now = yield* Clock.currentTimeMillis
        if (pausedUntil(uses) <= now) return now - start
      }
      return (yield* Clock.currentTimeMillis) - start
    })

  const throttled = (uses: ReadonlyArray<LimitUse>, retryAfter: Duration.Duration) =>
    Effect.gen(function* () {
      if (uses.length === 0) return
      const now = yield* Clock.currentTimeMillis
      const millis = Duration.toMillis(retryAfter)
      for (const use of uses) {
        pauses.set(use.key, Math.max(pauses.get(use.key) ?? 0, now + millis))
      }
      yield* store.throttled(uses, millis)
    })

  return RateLimiter.of({ acquire, throttled })
})

/** A limiter over whichever store is provided. */
export const layer: Layer.Layer<RateLimiter, never, LimitStore.LimitStore> = Layer.effect(
  RateLimiter,
  make
)

/** A limiter with buckets in this process. */
export const layerMemory: Layer.Layer<RateLimiter> = layer.pipe(
  Layer.provide(LimitStore.layerMemory)
)
