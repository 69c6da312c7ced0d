import { Clock, Context, Duration, Effect, Layer } from "effect"
import * as Bucket from "./Bucket"
import * as Invocation from "./Invocation"
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
  /**
   * Counts a call the vendor answered without a throttle signal. How many calls pass between
   * throttles tells a limit lower than configured from throttles that come whatever the rate.
   */
  readonly accepted: (uses: ReadonlyArray<LimitUse>) => Effect.Effect<void>
}

/** The rate limiter every outbound call goes through. */
export class RateLimiter extends Context.Tag("@workway/http/RateLimiter")<
  RateLimiter,
  RateLimiterService
>() {}

/** The calls of one invocation that share exactly these keys take turns to reserve. */
const turnOf = (uses: ReadonlyArray<LimitUse>): string =>
  uses.length === 1 ? (uses[0]?.key ?? "") : uses.map((use) => use.key).join("\n")

/** Local buckets beyond this many are pruned of the ones that are full again. */
const localKeysKept = 4096

/**
 * A limiter over the given store. Reservations are made just in time: the calls of one
 * invocation sharing a set of keys reserve one after another, each once the previous one's
 * moment has come, so no call holds a slot far ahead at a rate a later throttle has lowered.
 *
 * This isolate also keeps its own buckets, charged when a call actually leaves rather than when
 * its slot was reserved. A stall (a busy event loop, a cold start) can make several calls wake
 * late together with slots that were spread out; the local buckets release them no faster than
 * the limit allows from the moment they really go. They also remember pauses: a caller whose
 * slot falls inside a pause that began while it waited reserves again after the pause, instead
 * of meeting the vendor's 429 at that moment.
 */
export const make = Effect.gen(function* () {
  const store = yield* LimitStore.LimitStore
  const local = new Map<string, Bucket.BucketState>()
  /** Units accepted per key since this isolate last told the store of a throttle on it. */
  const unreported = new Map<string, number>()

  const localOf = (use: LimitUse, now: number): Bucket.BucketState =>
    local.get(use.key) ?? Bucket.initial(now)

  const keep = (uses: ReadonlyArray<LimitUse>, states: ReadonlyArray<Bucket.BucketState>) => {
    uses.forEach((use, i) => {
      const state = states[i]
      if (state !== undefined) local.set(use.key, state)
    })
  }

  const prune = (now: number) => {
    if (local.size <= localKeysKept) return
    for (const [key, state] of local) {
      if (Bucket.idleAt(state) <= now) local.delete(key)
    }
    // A key idle again has nothing worth reporting at its next throttle.
    for (const key of unreported.keys()) {
      if (!local.has(key)) unreported.delete(key)
    }
  }

  const pausedUntil = (uses: ReadonlyArray<LimitUse>): number =>
    uses.reduce((latest, use) => Math.max(latest, local.get(use.key)?.pausedUntil ?? 0), 0)

  /** Waits for a slot in the shared store, again if a pause began while waiting. */
  const reserveShared = (uses: ReadonlyArray<LimitUse>): Effect.Effect<void> =>
    Effect.gen(function* () {
      for (let round = 0; round < 5; round++) {
        const wait = yield* store.reserve(uses)
        if (wait > 0) yield* Effect.sleep(Duration.millis(wait))
        if (pausedUntil(uses) <= (yield* Clock.currentTimeMillis)) return
      }
    })

  /** Charges this isolate's buckets now, waiting first if calls have bunched up. */
  const paceLocally = (uses: ReadonlyArray<LimitUse>): Effect.Effect<void> =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      prune(now)
      const { at, states } = Bucket.reserve(
        uses.map((use) => ({ limit: use.limit, cost: use.cost ?? 1, state: localOf(use, now) })),
        now
      )
      keep(uses, states)
      return at > now ? Effect.sleep(Duration.millis(at - now)) : Effect.void
    })

  const acquire = (uses: ReadonlyArray<LimitUse>): Effect.Effect<number> =>
    Effect.gen(function* () {
      if (uses.length === 0) return 0
      const start = yield* Clock.currentTimeMillis
      const invocation = yield* Invocation.current
      yield* invocation.inTurn(turnOf(uses))(
        Effect.zipRight(reserveShared(uses), paceLocally(uses))
      )
      return (yield* Clock.currentTimeMillis) - start
    })

  const throttled = (uses: ReadonlyArray<LimitUse>, retryAfter: Duration.Duration) =>
    Effect.gen(function* () {
      if (uses.length === 0) return
      const now = yield* Clock.currentTimeMillis
      const millis = Duration.toMillis(retryAfter)
      keep(
        uses,
        uses.map((use) => Bucket.throttle(localOf(use, now), now, now + millis))
      )
      const accepted = uses.map((use) => {
        const units = unreported.get(use.key) ?? 0
        unreported.delete(use.key)
        return units
      })
      yield* store.throttled(uses, millis, accepted)
    })

  const accepted = (uses: ReadonlyArray<LimitUse>) =>
    Effect.sync(() => {
      for (const use of uses) {
        const units = use.cost ?? 1
        unreported.set(use.key, (unreported.get(use.key) ?? 0) + units)
        const state = local.get(use.key)
        if (state !== undefined) local.set(use.key, Bucket.accept(state, units))
      }
    })

  return RateLimiter.of({ acquire, throttled, accepted })
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
