import { Clock, Context, Duration, Effect, Layer, Option, Schema } from "effect"
import { StorageError } from "./Errors"

/** Options of a write. */
export interface SetOptions {
  /** How long the value lives; forever when absent. */
  readonly ttl?: Duration.DurationInput
}

/** Key-value storage with expiry, typed by Schema at each use. */
export interface StorageService {
  readonly get: <A, I>(
    key: string,
    schema: Schema.Schema<A, I>
  ) => Effect.Effect<Option.Option<A>, StorageError>
  readonly set: <A, I>(
    key: string,
    schema: Schema.Schema<A, I>,
    value: A,
    options?: SetOptions
  ) => Effect.Effect<void, StorageError>
  readonly delete: (key: string) => Effect.Effect<void, StorageError>
}

/** Durable key-value state: caches, checkpoints, markers. */
export class Storage extends Context.Tag("@workway/core/Storage")<Storage, StorageService>() {}

/** Builds a typed storage from a store of JSON strings with an absolute expiry. */
export const fromStrings = (store: {
  readonly read: (key: string) => Effect.Effect<Option.Option<string>, StorageError>
  readonly write: (
    key: string,
    value: string,
    ttl: Option.Option<Duration.Duration>
  ) => Effect.Effect<void, StorageError>
  readonly remove: (key: string) => Effect.Effect<void, StorageError>
}): StorageService => ({
  get: (key, schema) =>
    store.read(key).pipe(
      Effect.flatMap(
        Option.match({
          onNone: () => Effect.succeedNone,
          onSome: (text) =>
            Schema.decode(Schema.parseJson(schema))(text).pipe(
              Effect.map(Option.some),
              // A value written by an older schema is a miss, not a failure.
              Effect.orElseSucceed(() => Option.none())
            )
        })
      )
    ),
  set: (key, schema, value, options) =>
    Schema.encode(Schema.parseJson(schema))(value).pipe(
      Effect.mapError(
        (error) => new StorageError({ operation: "set", key, detail: error.message })
      ),
      Effect.flatMap((text) =>
        store.write(key, text, Option.fromNullable(options?.ttl).pipe(Option.map(Duration.decode)))
      )
    ),
  delete: (key) => store.remove(key)
})

/** Storage in memory, for tests and a single process; expiry follows the Effect Clock. */
export const makeMemory: Effect.Effect<StorageService> = Effect.sync(() => {
  const entries = new Map<string, { readonly value: string; readonly expiresAt: number }>()
  return fromStrings({
    read: (key) =>
      Clock.currentTimeMillis.pipe(
        Effect.map((now) => {
          const entry = entries.get(key)
          if (entry === undefined) return Option.none()
          if (entry.expiresAt <= now) {
            entries.delete(key)
            return Option.none()
          }
          return Option.some(entry.value)
        })
      ),
    write: (key, value, ttl) =>
      Clock.currentTimeMillis.pipe(
        Effect.map((now) => {
          const expiresAt = Option.match(ttl, {
            onNone: () => Number.POSITIVE_INFINITY,
            onSome: (duration) => now + Duration.toMillis(duration)
          })
          entries.set(key, { value, expiresAt })
        })
      ),
    remove: (key) => Effect.sync(() => void entries.delete(key))
  })
})

/** A fresh in-memory storage. */
export const layerMemory: Layer.Layer<Storage> = Layer.effect(Storage, makeMemory)
