import { Storage, StorageError } from "@workway/core"
import { Clock, Duration, Effect, Option } from "effect"

interface Entry {
  readonly value: string
  readonly expiresAt: number | null
}

const isEntry = (value: unknown): value is Entry =>
  typeof value === "object" && value !== null && "value" in value && typeof value.value === "string"

/**
 * `Storage` over a Durable Object's own storage: strongly consistent and local to the object,
 * so checkpoints and done-markers of a run cost no extra subrequest.
 */
export const make = (storage: DurableObjectStorage): Storage.StorageService =>
  Storage.fromStrings({
    read: (key) =>
      Effect.tryPromise({
        try: () => storage.get<unknown>(key),
        catch: (error) => new StorageError({ operation: "get", key, detail: String(error) })
      }).pipe(
        Effect.flatMap((found) =>
          Effect.map(Clock.currentTimeMillis, (now) =>
            isEntry(found) && (found.expiresAt === null || found.expiresAt > now)
              ? Option.some(found.value)
              : Option.none()
          )
        )
      ),
    write: (key, value, ttl) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.tryPromise({
          try: () =>
            storage.put<Entry>(key, {
              value,
              expiresAt: Option.match(ttl, {
                onNone: () => null,
                onSome: (duration) => now + Duration.toMillis(duration)
              })
            }),
          catch: (error) => new StorageError({ operation: "set", key, detail: String(error) })
        })
      ),
    remove: (key) =>
      Effect.tryPromise({
        try: () => storage.delete(key).then(() => undefined),
        catch: (error) => new StorageError({ operation: "delete", key, detail: String(error) })
      })
  })

/** Reads the raw text stored under every key with a prefix, skipping expired entries. */
export const listText = async (
  storage: DurableObjectStorage,
  prefix: string,
  now: number
): Promise<ReadonlyArray<readonly [string, string]>> => {
  const found = await storage.list<unknown>({ prefix })
  return [...found.entries()].flatMap(([key, entry]) =>
    isEntry(entry) && (entry.expiresAt === null || entry.expiresAt > now)
      ? [[key, entry.value] as const]
      : []
  )
}
