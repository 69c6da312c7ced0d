import { env } from "cloudflare:test"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigurationError, Storage } from "@workway/core"
import { KvStorage, WorkerEnv } from "@workway/worker"
import { Duration, Effect, Exit, Layer, Option, Schema, TestClock } from "effect"

const Customer = Schema.Struct({ id: Schema.String, name: Schema.String })
const Renamed = Schema.Struct({ id: Schema.String, fullName: Schema.String })

const bindings = Layer.succeed(WorkerEnv, env as unknown as Record<string, unknown>)
const freshKey = (label: string) => `${label}:${crypto.randomUUID()}`

layer(KvStorage.layer().pipe(Layer.provide(bindings)))("KvStorage", (it) => {
  it.effect("reads back what it wrote, decoded by the schema, until deleted", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = freshKey("customer")
      yield* storage.set(key, Customer, { id: "c1", name: "Ada" })
      expect(yield* storage.get(key, Customer)).toEqual(Option.some({ id: "c1", name: "Ada" }))
      yield* storage.delete(key)
      expect(yield* storage.get(key, Customer)).toEqual(Option.none())
    })
  )

  it.effect("treats a value written under another schema as a miss", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = freshKey("schema")
      yield* storage.set(key, Customer, { id: "c1", name: "Ada" })
      expect(yield* storage.get(key, Renamed)).toEqual(Option.none())
    })
  )

  it.effect("honours a time-to-live under KV's minute while giving KV the minute", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = freshKey("short")
      const before = Date.now()
      yield* storage.set(key, Customer, { id: "c2", name: "Grace" }, { ttl: "5 seconds" })
      expect(Option.isSome(yield* storage.get(key, Customer))).toBe(true)

      const listed = yield* Effect.promise(() => env.WORKWAY_CACHE.list({ prefix: key }))
      const expiration = listed.keys[0]?.expiration ?? 0
      expect(expiration).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 60)
      expect(expiration).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 61)

      yield* TestClock.adjust(Duration.seconds(4))
      expect(Option.isSome(yield* storage.get(key, Customer))).toBe(true)
      yield* TestClock.adjust(Duration.seconds(1))
      expect(yield* storage.get(key, Customer)).toEqual(Option.none())
      // KV itself still holds the value: the embedded expiry is what hides it.
      expect(yield* Effect.promise(() => env.WORKWAY_CACHE.get(key))).not.toBeNull()
    })
  )

  it.effect("passes a time-to-live of a minute or more to KV unchanged", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = freshKey("long")
      const before = Math.floor(Date.now() / 1000)
      yield* storage.set(key, Customer, { id: "c3", name: "Edsger" }, { ttl: "90 seconds" })
      const listed = yield* Effect.promise(() => env.WORKWAY_CACHE.list({ prefix: key }))
      const expiration = listed.keys[0]?.expiration ?? 0
      expect(expiration).toBeGreaterThanOrEqual(before + 90)
      expect(expiration).toBeLessThanOrEqual(before + 92)
    })
  )

  it.effect("deletes the key on a time-to-live of zero", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = freshKey("zero")
      yield* storage.set(key, Customer, { id: "c4", name: "Barbara" })
      yield* storage.set(key, Customer, { id: "c4", name: "Barbara" }, { ttl: Duration.zero })
      expect(yield* Effect.promise(() => env.WORKWAY_CACHE.get(key))).toBeNull()
    })
  )

  it.effect("fails a write KV refuses with a StorageError naming the key", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.Storage
      const key = "x".repeat(600)
      const error = yield* Effect.flip(storage.set(key, Schema.String, "too long a key"))
      expect(error._tag).toBe("StorageError")
      expect(error.operation).toBe("set")
    })
  )
})

describe("KvStorage.layer", () => {
  it.effect("fails to build, naming the binding, when the namespace is not bound", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Layer.build(KvStorage.layer({ binding: "MISSING_CACHE" })).pipe(
          Effect.provideService(WorkerEnv, {}),
          Effect.scoped
        )
      )
      expect(exit).toStrictEqual(
        Exit.fail(
          new ConfigurationError({
            detail:
              'KV binding "MISSING_CACHE" is missing; create a namespace with ' +
              "`wrangler kv namespace create MISSING_CACHE` and add [[kv_namespaces]] " +
              'binding = "MISSING_CACHE" to wrangler.toml'
          })
        )
      )
    })
  )
})
