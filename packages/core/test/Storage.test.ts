import { describe, expect, layer } from "@effect/vitest"
import { Effect, Option, Schema, TestClock } from "effect"
import * as Storage from "../src/Storage"

const Schedule = Schema.Struct({ id: Schema.String, at: Schema.Date })

layer(Storage.layerMemory)("Storage in memory", (it) => {
  describe("expiry", () => {
    it.effect("a value lives until its TTL has passed, by the Effect clock", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        yield* storage.set("ttl:users", Schema.String, "cached", { ttl: "60 seconds" })

        yield* TestClock.adjust("59999 millis")
        const before = yield* storage.get("ttl:users", Schema.String)
        yield* TestClock.adjust("1 millis")
        const after = yield* storage.get("ttl:users", Schema.String)

        expect(before).toEqual(Option.some("cached"))
        expect(after).toEqual(Option.none())
      })
    )

    it.effect("a value without a TTL does not expire", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        yield* storage.set("forever:cursor", Schema.String, "c-42")

        yield* TestClock.adjust("365 days")

        expect(yield* storage.get("forever:cursor", Schema.String)).toEqual(Option.some("c-42"))
      })
    )

    it.effect("writing again starts a new TTL", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        yield* storage.set("ttl:renewed", Schema.Number, 1, { ttl: "1 minute" })
        yield* TestClock.adjust("50 seconds")
        yield* storage.set("ttl:renewed", Schema.Number, 2, { ttl: "1 minute" })

        yield* TestClock.adjust("50 seconds")

        expect(yield* storage.get("ttl:renewed", Schema.Number)).toEqual(Option.some(2))
      })
    )
  })

  describe("values", () => {
    it.effect("are encoded and decoded through their schema", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        const value = { id: "s1", at: new Date("2026-11-02T10:00:00Z") }
        yield* storage.set("schedule:s1", Schedule, value)

        expect(yield* storage.get("schedule:s1", Schedule)).toEqual(Option.some(value))
      })
    )

    it.effect("a value written under another schema reads as a miss, not a failure", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        yield* storage.set("schema:old", Schema.String, "not a schedule")

        expect(yield* storage.get("schema:old", Schedule)).toEqual(Option.none())
      })
    )

    it.effect("a deleted value is gone", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        yield* storage.set("gone:1", Schema.String, "x")
        yield* storage.delete("gone:1")

        expect(yield* storage.get("gone:1", Schema.String)).toEqual(Option.none())
      })
    )

    it.effect("a value its schema cannot encode fails the write with a StorageError", () =>
      Effect.gen(function* () {
        const storage = yield* Storage.Storage
        const error = yield* Effect.flip(
          storage.set("bad:1", Schedule, { id: "s", at: new Date(Number.NaN) })
        )

        expect(error._tag).toBe("StorageError")
        expect(error).toMatchObject({ operation: "set", key: "bad:1" })
      })
    )
  })
})
