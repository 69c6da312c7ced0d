import { Clock, Context, Effect, Layer } from "effect"
import * as Bucket from "./Bucket"
import type { LimitUse } from "./Limit"

/**
 * Where bucket state lives. A store may be remote (a Durable Object shared by every isolate),
 * so each operation is one round trip that answers everything the caller needs.
 */
export interface LimitStoreService {
  /**
   * Reserves the units of every use at the earliest moment all keys allow, and answers how many
   * milliseconds from now that is.
   */
  readonly reserve: (uses: ReadonlyArray<LimitUse>) => Effect.Effect<number>
  /**
   * Pauses the keys for `pauseMillis` after a throttle signal and sets their rate.
   * `accepted[i]` is how many units on the key of `uses[i]` the vendor accepted, as this isolate
   * saw, since it last signalled a throttle on that key: how long the rate in use ran clean.
   */
  readonly throttled: (
    uses: ReadonlyArray<LimitUse>,
    pauseMillis: number,
    accepted?: ReadonlyArray<number>
  ) => Effect.Effect<void>
}

/** The store of rate-limit buckets. */
export class LimitStore extends Context.Tag("@workway/http/LimitStore")<
  LimitStore,
  LimitStoreService
>() {}

/** Buckets kept in this process, timed by the Effect clock. */
export const makeMemory = (
  adaptation: Bucket.Adaptation = Bucket.defaultAdaptation
): Effect.Effect<LimitStoreService> =>
  Effect.sync(() => {
    const buckets = new Map<string, Bucket.BucketState>()
    const stateOf = (use: LimitUse, now: number) => buckets.get(use.key) ?? Bucket.initial(now)
    return {
      reserve: (uses) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          const { at, states } = Bucket.reserve(
            uses.map((use) => ({
              limit: use.limit,
              cost: use.cost ?? 1,
              state: stateOf(use, now)
            })),
            now,
            adaptation
          )
          uses.forEach((use, i) => {
            const state = states[i]
            if (state !== undefined) buckets.set(use.key, state)
          })
          return at - now
        }),
      throttled: (uses, pauseMillis, accepted) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          uses.forEach((use, i) => {
            const state = Bucket.accept(stateOf(use, now), accepted?.[i] ?? 0)
            buckets.set(use.key, Bucket.throttle(state, now, now + pauseMillis, adaptation))
          })
        })
    }
  })

/** A fresh in-process store. */
export const layerMemory: Layer.Layer<LimitStore> = Layer.effect(LimitStore, makeMemory())
