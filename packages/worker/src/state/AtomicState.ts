import { Storage, StorageError } from "@workway/core"
import { Clock, Context, Duration, Effect, Layer, Option, type Schema } from "effect"
import { encodeJson } from "./internal/json"
import { numberIn } from "./internal/number"

/**
 * Atomic operations on consistent state: done-markers, webhook event ids, counters. They read and
 * write the same keys as the `Storage` built over the same store, so a counter reads back with
 * `storage.get(key, Schema.Number)`.
 */
export interface AtomicStateService {
  /**
   * Writes `value` under `key` unless a live value is there, and answers whether this call wrote
   * it: of many concurrent callers, exactly one gets `true`.
   */
  readonly setIfAbsent: <A, I>(
    key: string,
    schema: Schema.Schema<A, I>,
    value: A,
    options?: Storage.SetOptions
  ) => Effect.Effect<boolean, StorageError>
  /**
   * Adds `by` (default 1) to the number under `key`, counting from 0 when absent or expired, and
   * answers the sum. `ttl` applies when the call creates the counter. Fails when the key holds
   * something other than a number.
   */
  readonly increment: (
    key: string,
    by?: number,
    options?: Storage.SetOptions
  ) => Effect.Effect<number, StorageError>
}

/** Atomic markers and counters. */
export class AtomicState extends Context.Tag("@workway/worker/AtomicState")<
  AtomicState,
  AtomicStateService
>() {}

/** Milliseconds of a write's time-to-live; `undefined` when it lives until deleted. */
export const ttlMillis = (options: Storage.SetOptions | undefined): number | undefined => {
  if (options?.ttl === undefined) return undefined
  const millis = Duration.toMillis(Duration.decode(options.ttl))
  return Number.isFinite(millis) ? millis : undefined
}

/**
 * `Storage` and `AtomicState` over one map in this process, for tests; expiry follows the Effect
 * Clock.
 */
export const makeMemory: Effect.Effect<{
  readonly storage: Storage.StorageService
  readonly atomic: AtomicStateService
}> = Effect.sync(() => {
  const entries = new Map<string, { readonly value: string; readonly expiresAt: number }>()
  const live = (key: string, now: number) => {
    const entry = entries.get(key)
    if (entry === undefined || entry.expiresAt > now) return entry
    entries.delete(key)
    return undefined
  }
  const expiresAt = (now: number, millis: number | undefined) =>
    millis === undefined ? Number.POSITIVE_INFINITY : now + millis

  const storage = Storage.fromStrings({
    read: (key) =>
      Effect.map(Clock.currentTimeMillis, (now) => Option.fromNullable(live(key, now)?.value)),
    write: (key, value, ttl) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const millis = Option.getOrUndefined(Option.map(ttl, Duration.toMillis))
        entries.set(key, { value, expiresAt: expiresAt(now, millis) })
      }),
    remove: (key) => Effect.sync(() => void entries.delete(key))
  })

  const atomic: AtomicStateService = {
    setIfAbsent: (key, schema, value, options) =>
      Effect.flatMap(encodeJson(key, schema, value), (text) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          if (live(key, now) !== undefined) return false
          entries.set(key, { value: text, expiresAt: expiresAt(now, ttlMillis(options)) })
          return true
        })
      ),
    increment: (key, by = 1, options) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const entry = live(key, now)
        const current = entry === undefined ? 0 : numberIn(entry.value)
        if (current === undefined) {
          return Effect.fail(
            new StorageError({
              operation: "set",
              key,
              detail: `holds ${entry?.value}, not a number; it cannot be incremented`
            })
          )
        }
        const sum = current + by
        const expiry = entry?.expiresAt ?? expiresAt(now, ttlMillis(options))
        entries.set(key, { value: JSON.stringify(sum), expiresAt: expiry })
        return Effect.succeed(sum)
      })
  }
  return { storage, atomic }
})

/** In-memory `Storage` and `AtomicState` sharing their keys. */
export const layerMemory: Layer.Layer<Storage.Storage | AtomicState> = Layer.effectContext(
  Effect.map(makeMemory, ({ storage, atomic }) =>
    Context.make(Storage.Storage, storage).pipe(Context.add(AtomicState, atomic))
  )
)
