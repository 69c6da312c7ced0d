import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import { Storage } from "@workway/core"
import { AtomicState, StateStorage, WorkerEnv } from "@workway/worker"
import { Effect, Layer, Option, Schema } from "effect"
import { describe, expect, it } from "vitest"

const Checkpoint = Schema.Struct({ cursor: Schema.String, done: Schema.Number })
const bindings = Layer.succeed(WorkerEnv, env as unknown as Record<string, unknown>)

/** Storage and markers over an object of their own, so tests never see each other's keys. */
const fresh = () => {
  const object = `test-${crypto.randomUUID()}`
  const options = { objectName: () => object }
  return {
    storage: StateStorage.makeStorage(env.WORKWAY_STATE, options),
    atomic: StateStorage.makeAtomic(env.WORKWAY_STATE, options),
    stub: env.WORKWAY_STATE.get(env.WORKWAY_STATE.idFromName(object))
  }
}

const run = Effect.runPromise
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

const keysIn = (stub: DurableObjectStub) =>
  runInDurableObject(stub, (_, state) =>
    state.storage.sql
      .exec<{ key: string }>("SELECT key FROM entry ORDER BY key")
      .toArray()
      .map((row) => row.key)
  )

describe("StateStorage", () => {
  it("reads back what it wrote, decoded by the schema, until deleted", async () => {
    const { storage } = fresh()
    const read = await run(
      Effect.gen(function* () {
        yield* storage.set("checkpoint", Checkpoint, { cursor: "abc", done: 40 })
        const written = yield* storage.get("checkpoint", Checkpoint)
        yield* storage.delete("checkpoint")
        return { written, deleted: yield* storage.get("checkpoint", Checkpoint) }
      })
    )
    expect(read.written).toEqual(Option.some({ cursor: "abc", done: 40 }))
    expect(read.deleted).toEqual(Option.none())
  })

  it("stops serving a value once its time-to-live has passed", async () => {
    const { storage } = fresh()
    await run(storage.set("marker", Schema.String, "x", { ttl: "150 millis" }))
    expect(await run(storage.get("marker", Schema.String))).toEqual(Option.some("x"))
    await sleep(250)
    expect(await run(storage.get("marker", Schema.String))).toEqual(Option.none())
  })

  it("sweeps expired entries with an alarm and schedules the next sweep", async () => {
    const { storage, stub } = fresh()
    await run(
      Effect.gen(function* () {
        yield* storage.set("short", Schema.String, "gone soon", { ttl: "100 millis" })
        yield* storage.set("long", Schema.String, "stays", { ttl: "1 hour" })
        yield* storage.set("forever", Schema.String, "stays")
      })
    )
    expect(await keysIn(stub)).toEqual(["forever", "long", "short"])
    await sleep(200)
    await runDurableObjectAlarm(stub)
    expect(await keysIn(stub)).toEqual(["forever", "long"])
    const next = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())
    expect(next).toBeGreaterThan(Date.now() + 59 * 60 * 1000)
  })

  it("lets exactly one of many concurrent callers set a marker", async () => {
    const { storage, atomic } = fresh()
    const { wins, stored } = await run(
      Effect.gen(function* () {
        const wins = yield* Effect.all(
          Array.from({ length: 40 }, (_, i) => atomic.setIfAbsent("event:evt_1", Schema.Number, i)),
          { concurrency: "unbounded" }
        )
        return { wins, stored: yield* storage.get("event:evt_1", Schema.Number) }
      })
    )
    expect(wins.filter(Boolean)).toHaveLength(1)
    expect(stored).toEqual(Option.some(wins.indexOf(true)))
  })

  it("sets a marker again once the previous one expired", async () => {
    const { atomic } = fresh()
    const mark = () =>
      run(atomic.setIfAbsent("done:run-1", Schema.Boolean, true, { ttl: "100 millis" }))
    expect(await mark()).toBe(true)
    expect(await mark()).toBe(false)
    await sleep(200)
    expect(await mark()).toBe(true)
  })

  it("counts concurrent increments exactly and reads the counter back as a number", async () => {
    const { storage, atomic } = fresh()
    const { sums, byFive, read } = await run(
      Effect.gen(function* () {
        const sums = yield* Effect.all(
          Array.from({ length: 50 }, () => atomic.increment("calls")),
          { concurrency: "unbounded" }
        )
        const byFive = yield* atomic.increment("calls", 5)
        return { sums, byFive, read: yield* storage.get("calls", Schema.Number) }
      })
    )
    expect([...sums].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))
    expect(byFive).toBe(55)
    expect(read).toEqual(Option.some(55))
  })

  it("starts a counter over after its time-to-live", async () => {
    const { atomic } = fresh()
    const hit = () => run(atomic.increment("minute", 1, { ttl: "100 millis" }))
    expect(await hit()).toBe(1)
    expect(await hit()).toBe(2)
    await sleep(200)
    expect(await hit()).toBe(1)
  })

  it("refuses to increment a key holding something other than a number", async () => {
    const { storage, atomic } = fresh()
    const error = await run(
      Effect.gen(function* () {
        yield* storage.set("name", Schema.String, "Ada")
        return yield* Effect.flip(atomic.increment("name"))
      })
    )
    expect(error._tag).toBe("StorageError")
    expect(error.message).toContain("not a number")
  })
})

describe("StateStorage.layer", () => {
  it("provides Storage and AtomicState over the same keys from the Worker's binding", async () => {
    const object = `test-${crypto.randomUUID()}`
    const count = await run(
      Effect.gen(function* () {
        const atomic = yield* AtomicState.AtomicState
        const storage = yield* Storage.Storage
        yield* atomic.increment("runs", 3)
        return yield* storage.get("runs", Schema.Number)
      }).pipe(
        Effect.provide(
          StateStorage.layer({ objectName: () => object }).pipe(Layer.provide(bindings))
        )
      )
    )
    expect(count).toEqual(Option.some(3))
  })
})

describe("AtomicState.layerMemory", () => {
  it("shares its keys with the in-memory Storage", async () => {
    const result = await Effect.runPromise(
      Effect.gen(function* () {
        const atomic = yield* AtomicState.AtomicState
        const storage = yield* Storage.Storage
        const first = yield* atomic.setIfAbsent("seen", Schema.String, "a")
        const second = yield* atomic.setIfAbsent("seen", Schema.String, "b")
        yield* atomic.increment("count", 2)
        return {
          first,
          second,
          seen: yield* storage.get("seen", Schema.String),
          count: yield* storage.get("count", Schema.Number)
        }
      }).pipe(Effect.provide(AtomicState.layerMemory))
    )
    expect(result).toEqual({
      first: true,
      second: false,
      seen: Option.some("a"),
      count: Option.some(2)
    })
  })
})
