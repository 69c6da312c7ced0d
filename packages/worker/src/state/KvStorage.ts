import { type ConfigurationError, Storage, StorageError } from "@workway/core"
import { Clock, Duration, Effect, Layer, Option } from "effect"
import type { WorkerEnv } from "../Bindings"
import { errorDetail, kvNamespace } from "./internal/binding"

/** The binding a deployment declares for the cache namespace unless told otherwise. */
export const defaultBinding = "WORKWAY_CACHE"

/** KV refuses a time-to-live under a minute. */
export const minimumTtlSeconds = 60

/** Metadata stored beside a value that has a time-to-live. */
interface Expiry {
  /** When the value stops being served (ms since the epoch), to the millisecond. */
  readonly expiresAt?: number
}

/**
 * Storage for caches over a KV namespace. A time-to-live under KV's one-minute minimum is raised
 * to it for KV, while the value's own expiry, kept in its metadata, makes reads treat it as gone
 * after the time asked for; expiry is to the millisecond either way. A zero or negative
 * time-to-live deletes the key.
 *
 * **Note**: KV is eventually consistent: a write can take 60 s or more to reach other locations,
 * so a read can serve a value up to a minute stale, or miss one just written. KV also allows one
 * write per key per second. Use it for caches, never for counters, checkpoints or markers (see
 * `StateStorage`).
 */
export const make = (namespace: KVNamespace): Storage.StorageService =>
  Storage.fromStrings({
    read: (key) =>
      Effect.tryPromise({
        try: () => namespace.getWithMetadata<Expiry>(key, "text"),
        catch: (error) => new StorageError({ operation: "get", key, detail: errorDetail(error) })
      }).pipe(
        Effect.flatMap(({ value, metadata }) =>
          Effect.map(Clock.currentTimeMillis, (now) => {
            if (value === null) return Option.none()
            const expiresAt = metadata?.expiresAt
            return typeof expiresAt === "number" && expiresAt <= now
              ? Option.none()
              : Option.some(value)
          })
        )
      ),
    write: (key, value, ttl) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const millis = Option.filter(Option.map(ttl, Duration.toMillis), Number.isFinite)
        if (Option.isSome(millis) && millis.value <= 0) return remove(namespace, key, "set")
        const options: KVNamespacePutOptions = Option.match(millis, {
          onNone: () => ({}),
          onSome: (ms) => ({
            expirationTtl: Math.max(minimumTtlSeconds, Math.ceil(ms / 1000)),
            metadata: { expiresAt: now + ms } satisfies Expiry
          })
        })
        return Effect.tryPromise({
          try: () => namespace.put(key, value, options),
          catch: (error) => new StorageError({ operation: "set", key, detail: errorDetail(error) })
        })
      }),
    remove: (key) => remove(namespace, key, "delete")
  })

const remove = (namespace: KVNamespace, key: string, operation: "set" | "delete") =>
  Effect.tryPromise({
    try: () => namespace.delete(key),
    catch: (error) => new StorageError({ operation, key, detail: errorDetail(error) })
  })

/** `Storage` over the KV namespace bound as `binding` (default `WORKWAY_CACHE`). */
export const layer = (
  options: { readonly binding?: string } = {}
): Layer.Layer<Storage.Storage, ConfigurationError, WorkerEnv> =>
  Layer.effect(Storage.Storage, Effect.map(kvNamespace(options.binding ?? defaultBinding), make))
