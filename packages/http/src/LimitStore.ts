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
  /** Pauses the keys for `pauseMillis` after a throttle signal and lowers their rate. */
  readonly throttled: (uses: ReadonlyArray<LimitUse>, pauseMillis: number) => Effect.Effect<void>
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
      throttled: (uses, pauseMillis) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          for (const use of uses) {
            const next = Bucket.throttle(stateOf(use, now), now, now + pauseMillis, adaptation)
            buckets.set(use.key, next)
          }
        })
    }
  })

/** A fresh in-process store. */
export const layerMemory: Layer.Layer<LimitStore> = Layer.effect(LimitStore, makeMemory())
