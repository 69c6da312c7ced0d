import { type ConfigurationError, RunReport } from "@workway/core"
import type { LimitUse } from "@workway/http/Limit"
import { LimitStore, type LimitStoreService, makeMemory } from "@workway/http/LimitStore"
import { Clock, Context, Duration, Effect, Layer, Schedule } from "effect"
import type { WorkerEnv } from "../Bindings"
import { durableObjectNamespace, errorDetail, retryable } from "./internal/binding"
import * as Lane from "./internal/lane"
import type { RateLimitStore, ReserveResponse, WireUse } from "./RateLimitStore"

/** How many units one round trip to the store may lease ahead of demand. */
export interface LeaseOptions {
  /** Slowest rate of a call's limits, in units per second, at which leasing ahead starts (5). */
  readonly minRate?: number
  /** How far past its first unit one lease may reach (250 ms). */
  readonly horizon?: Duration.DurationInput
  /** Most units one round trip may take (16). */
  readonly max?: number
}

/** How a store reaches its Durable Objects. */
export interface DurableLimitStoreOptions {
  /**
   * The object that holds a key's bucket. Default: the key's first two `:`-separated parts, the
   * service and account (`notion:1a2b3c4d:writes` lives in `notion:1a2b3c4d`).
   */
  readonly objectName?: (key: string) => string
  /** Leasing, or `false` for one round trip per reservation. */
  readonly lease?: LeaseOptions | false
}

/** One reservation's answer: how long to wait, and the unit's moment on the store's clock. */
export interface Grant {
  readonly waitMillis: number
  /**
   * When the store granted the unit, on its own clock (ms). For a reservation over several
   * objects, the moment of the one that makes the call wait longest; when the store was
   * unreachable, a moment on this isolate's clock.
   */
  readonly at: number
}

/** What a store has done since it was made, for run reports and benchmarks. */
export interface Stats {
  /** Calls made to the Durable Objects, failed ones included. */
  readonly roundTrips: number
  /** Reservations answered, one per `reserve` or `grant`. */
  readonly reservations: number
  /** Units the Durable Objects granted to this isolate. */
  readonly leased: number
  /** Granted units nobody used: expired before a caller took them, or dropped after a throttle. */
  readonly unused: number
  /** Reservations paced by this isolate alone because a Durable Object could not be reached. */
  readonly fallbacks: number
}

/** A limit store over Durable Objects, with its round-trip counters. */
export interface DurableLimitStoreService extends LimitStoreService {
  /** Reserves a unit on every use, like `reserve`, and says when the store granted it. */
  readonly grant: (uses: ReadonlyArray<LimitUse>) => Effect.Effect<Grant>
  /** The counters so far: round trips per reservation is `roundTrips / reservations`. */
  readonly stats: Effect.Effect<Stats>
}

/** The Durable-Object-backed limit store, for reading its stats. */
export class DurableLimitStore extends Context.Tag("@workway/worker/DurableLimitStore")<
  DurableLimitStore,
  DurableLimitStoreService
>() {}

/** The binding a deployment declares for `RateLimitStore` unless told otherwise. */
export const defaultBinding = "WORKWAY_RATE_LIMITER"

/** How long a store paces alone after failing to reach an object, before trying it again. */
const unreachableMillis = 1000

/**
 * Longest wait for one round trip. A healthy one takes milliseconds; a caller waiting on a round
 * trip made for another request gives up on it after this long and makes its own, since that
 * request may have been cancelled with its round trip.
 */
const roundTripTimeout = Duration.seconds(3)

const defaultObjectName = (key: string): string => key.split(":").slice(0, 2).join(":")

const toWire = (use: LimitUse): WireUse => ({
  key: use.key,
  rate: use.limit.rate,
  perMillis: Duration.toMillis(use.limit.per),
  burst: use.limit.burst,
  cost: use.cost ?? 1
})

const groupBy = <A>(items: ReadonlyArray<A>, keyOf: (item: A) => string) => {
  const groups = new Map<string, Array<A>>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [item])
    else group.push(item)
  }
  return groups
}

/**
 * A limit store whose buckets live in `RateLimitStore` Durable Objects, so every isolate of a
 * deployment shares each limit. One reservation is one RPC round trip; with leasing, one round
 * trip reserves several successive units for the callers of this isolate, who take them in
 * order. The store charges every unit it grants, used or not, so the isolates together never
 * exceed a limit; a leased unit nobody takes within one interval of its moment expires unused.
 * Leases grow only while demand keeps up with them and never reach past the lease horizon.
 *
 * When an object cannot be reached (after two quick retries), the isolate paces that object's
 * keys alone for a second and logs a warning.
 *
 * **Note**: a throttle signal reaches other isolates' leased units only at their next round trip:
 * each may still send what it leased, at most one horizon's worth, into the pause.
 */
export const make = <T extends RateLimitStore>(
  namespace: DurableObjectNamespace<T>,
  options: DurableLimitStoreOptions = {}
): Effect.Effect<DurableLimitStoreService> =>
  Effect.gen(function* () {
    const fallback = yield* makeMemory()
    const objectName = options.objectName ?? defaultObjectName
    const lease = options.lease === false ? undefined : (options.lease ?? {})
    const policy: Lane.Policy = {
      minRate: lease?.minRate ?? 5,
      horizonMillis:
        lease === undefined ? 0 : Duration.toMillis(Duration.decode(lease.horizon ?? "250 millis")),
      max: lease === undefined ? 1 : Math.max(1, Math.floor(lease.max ?? 16))
    }
    const lanes = new Map<string, Lane.Lane>()
    const unreachable = new Map<string, number>()
    const stats = { roundTrips: 0, reservations: 0, leased: 0, unused: 0, fallbacks: 0 }

    const call = <A>(
      object: string,
      send: (stub: DurableObjectStub<RateLimitStore>) => Promise<A>
    ): Effect.Effect<A, unknown> =>
      RunReport.withRecorder((recorder) => recorder.count("rateLimiterRoundTrips", 1)).pipe(
        Effect.zipRight(countedCall(object, send))
      )

    const countedCall = <A>(
      object: string,
      send: (stub: DurableObjectStub<RateLimitStore>) => Promise<A>
    ): Effect.Effect<A, unknown> =>
      Effect.suspend(() => {
        stats.roundTrips++
        // A stub is made per call: one that has thrown may be broken, and stubs are cheap.
        return Effect.tryPromise({
          try: () =>
            send(namespace.get(namespace.idFromName(object)) as DurableObjectStub<RateLimitStore>),
          catch: (error) => error
        }).pipe(
          Effect.timeoutFail({
            duration: roundTripTimeout,
            onTimeout: () =>
              new Error(`No answer from ${object} within ${Duration.format(roundTripTimeout)}`)
          })
        )
      }).pipe(
        Effect.retry({
          schedule: Schedule.jittered(Schedule.exponential("25 millis")),
          times: 2,
          while: retryable
        })
      )

    const unreachableSince = (object: string, error: unknown) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        unreachable.set(object, now + unreachableMillis)
        return Effect.logWarning(
          "Rate-limit Durable Object unreachable; pacing in this isolate only for 1 s"
        ).pipe(Effect.annotateLogs({ object, detail: errorDetail(error) }))
      })

    const laneOf = (object: string, uses: ReadonlyArray<LimitUse>): Lane.Lane => {
      const id = `${object}\n${Lane.signature(uses)}`
      const existing = lanes.get(id)
      if (existing !== undefined) return existing
      if (lanes.size >= 1024) Lane.prune(lanes)
      const lane = Lane.make(object, uses, uses.map(toWire), policy)
      lanes.set(id, lane)
      return lane
    }

    const alone = (lane: Lane.Lane): Effect.Effect<Grant> =>
      Effect.gen(function* () {
        stats.fallbacks++
        const waitMillis = yield* fallback.reserve(lane.uses)
        const now = yield* Clock.currentTimeMillis
        return { waitMillis, at: now + waitMillis }
      })

    /** One round trip leasing units for the lane; answers whether the store was reached. */
    const refill = (lane: Lane.Lane, now: number): Effect.Effect<boolean> =>
      Effect.suspend(() => {
        let settle: () => void = () => {}
        // Callers waiting for this lease wait on a plain promise, so each resumes in its own
        // request's context rather than in the one that made the round trip.
        const inflight = new Promise<void>((resolve) => {
          settle = resolve
        })
        lane.inflight = inflight
        const request = {
          uses: lane.wire,
          count: Lane.count(lane, now, policy),
          horizonMillis: policy.horizonMillis
        }
        return call(lane.object, (stub) => stub.reserve(request) as Promise<ReserveResponse>).pipe(
          Effect.flatMap((response) =>
            Effect.map(Clock.currentTimeMillis, (received) => {
              stats.leased += Lane.receive(lane, response, received)
              return true
            })
          ),
          Effect.catchAll((error) => Effect.as(unreachableSince(lane.object, error), false)),
          Effect.ensuring(
            Effect.sync(() => {
              if (lane.inflight === inflight) lane.inflight = undefined
              settle()
            })
          )
        )
      })

    /** One round trip per reservation, concurrent with the others: leasing is off. */
    const direct = (lane: Lane.Lane): Effect.Effect<Grant> =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        if (now < (unreachable.get(lane.object) ?? 0)) return yield* alone(lane)
        const request = { uses: lane.wire, count: 1, horizonMillis: 0 }
        const answer = yield* call(
          lane.object,
          (stub) => stub.reserve(request) as Promise<ReserveResponse>
        ).pipe(Effect.either)
        if (answer._tag === "Left") {
          yield* unreachableSince(lane.object, answer.left)
          return yield* alone(lane)
        }
        // Counted from the answer's arrival, the wait errs late by the trip back, never early.
        const at = answer.right.slots[0] ?? answer.right.now
        stats.leased += answer.right.slots.length
        return { waitMillis: Math.max(0, at - answer.right.now), at }
      })

    const leased = (lane: Lane.Lane): Effect.Effect<Grant> =>
      Effect.gen(function* () {
        lane.demand++
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          const taken = Lane.take(lane, now)
          stats.unused += taken.expired
          if (taken.slot !== undefined) {
            return { waitMillis: Math.max(0, taken.slot.local - now), at: taken.slot.remote }
          }
          if (now < (unreachable.get(lane.object) ?? 0)) return yield* alone(lane)
          const pending = lane.inflight
          if (pending !== undefined) {
            const settled = yield* Effect.promise(() => pending).pipe(
              Effect.timeout(Duration.sum(roundTripTimeout, Duration.millis(500))),
              Effect.option
            )
            if (settled._tag === "None" && lane.inflight === pending) lane.inflight = undefined
            continue
          }
          if (!(yield* refill(lane, now))) return yield* alone(lane)
        }
      }).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            lane.demand--
          })
        )
      )

    const grant = (uses: ReadonlyArray<LimitUse>): Effect.Effect<Grant> =>
      Effect.suspend(() => {
        if (uses.length === 0) {
          return Effect.map(Clock.currentTimeMillis, (now) => ({ waitMillis: 0, at: now }))
        }
        stats.reservations++
        const perObject = [...groupBy(uses, (use) => objectName(use.key))].map(([object, group]) =>
          laneOf(object, group)
        )
        const grantOn = policy.max > 1 ? leased : direct
        if (perObject.length === 1) return grantOn(perObject[0]!)
        // Keys in different objects cannot be reserved atomically: each object reserves its own,
        // and the call waits for the latest. The earlier keys' units are then used a little late.
        return Effect.map(
          Effect.all(perObject.map(grantOn), { concurrency: "unbounded" }),
          (grants) =>
            grants.reduce((longest, next) =>
              next.waitMillis > longest.waitMillis ? next : longest
            )
        )
      })

    const throttled = (
      uses: ReadonlyArray<LimitUse>,
      pauseMillis: number,
      accepted?: ReadonlyArray<number>
    ): Effect.Effect<void> =>
      Effect.gen(function* () {
        if (uses.length === 0) return
        const keys = new Set(uses.map((use) => use.key))
        for (const lane of lanes.values()) stats.unused += Lane.drop(lane, keys)
        yield* fallback.throttled(uses, pauseMillis, accepted)
        const counted = uses.map((use, i) => ({ use, accepted: accepted?.[i] ?? 0 }))
        yield* Effect.forEach(
          groupBy(counted, ({ use }) => objectName(use.key)),
          ([object, group]) => {
            const request = {
              uses: group.map(({ use }) => toWire(use)),
              pauseMillis,
              accepted: group.map((entry) => entry.accepted)
            }
            return call(object, (stub) => stub.throttled(request) as Promise<number>).pipe(
              Effect.catchAll((error) => unreachableSince(object, error))
            )
          },
          { concurrency: "unbounded", discard: true }
        )
      })

    return DurableLimitStore.of({
      reserve: (uses) => Effect.map(grant(uses), (granted) => granted.waitMillis),
      throttled,
      grant,
      stats: Effect.sync(() => ({ ...stats }))
    })
  })

/**
 * `LimitStore` (and `DurableLimitStore`, for its stats) over the `RateLimitStore` namespace bound
 * as `binding` (default `WORKWAY_RATE_LIMITER`).
 */
export const layer = (
  options: DurableLimitStoreOptions & { readonly binding?: string } = {}
): Layer.Layer<LimitStore | DurableLimitStore, ConfigurationError, WorkerEnv> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const namespace = yield* durableObjectNamespace<RateLimitStore>(
        options.binding ?? defaultBinding,
        "RateLimitStore"
      )
      const store = yield* make(namespace, options)
      return Context.make(DurableLimitStore, store).pipe(Context.add(LimitStore, store))
    })
  )
