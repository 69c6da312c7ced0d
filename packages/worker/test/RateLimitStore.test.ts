import { env, runInDurableObject } from "cloudflare:test"
import { RateLimitStore } from "@workway/worker"
import { describe, expect, it } from "vitest"
import { busiestWindow, freshKey, perSecond } from "./fixtures/windows"

const objectOf = (key: string) => key.split(":").slice(0, 2).join(":")
const stubFor = (key: string) =>
  env.WORKWAY_RATE_LIMITER.get(env.WORKWAY_RATE_LIMITER.idFromName(objectOf(key)))

describe("RateLimitStore", () => {
  it("never grants more than rate × window + burst in any window, across concurrent callers", async () => {
    const key = freshKey("concurrent")
    const use = perSecond(key, 10, 5)
    const stub = stubFor(key)
    const singles = Array.from({ length: 120 }, () =>
      stub.reserve({ uses: [use], count: 1, horizonMillis: 0 })
    )
    const leases = Array.from({ length: 30 }, () =>
      stub.reserve({ uses: [use], count: 4, horizonMillis: 250 })
    )
    const answers = await Promise.all([...singles, ...leases])
    const slots = answers.flatMap((answer) => answer.slots)

    expect(slots.length).toBeGreaterThanOrEqual(150)
    for (const window of [100, 1000, 5000]) {
      expect(busiestWindow(slots, window)).toBeLessThanOrEqual(10 * (window / 1000) + 5)
    }
    const start = Math.min(...answers.map((answer) => answer.now))
    expect(Math.max(...slots) - start).toBeGreaterThanOrEqual(((slots.length - 5) / 10) * 1000 - 1)
  })

  it("leases successive units, none past the horizon after the first", async () => {
    const key = freshKey("lease")
    const stub = stubFor(key)
    const burst = await stub.reserve({
      uses: [perSecond(key, 10, 3)],
      count: 8,
      horizonMillis: 250
    })
    // A burst of 3 spends 2 at once (one unit is held back for network jitter).
    expect(burst.slots).toEqual([burst.now, burst.now, burst.now + 100, burst.now + 200])
  })

  it("reserves every key of a call at the moment the tightest one allows", async () => {
    const key = freshKey("multi")
    const service = `${objectOf(key)}:service`
    const stub = stubFor(key)
    await stub.reserve({ uses: [perSecond(key, 1, 1)], count: 1, horizonMillis: 0 })
    const both = await stub.reserve({
      uses: [perSecond(key, 1, 1), perSecond(service, 100, 10)],
      count: 1,
      horizonMillis: 0
    })
    expect(both.slots[0]! - both.now).toBeGreaterThan(900)
  })

  it("pauses a throttled key on its own clock and keeps the pause for every caller", async () => {
    const key = freshKey("throttled")
    const stub = stubFor(key)
    const pausedAt = await stub.throttled({ uses: [perSecond(key, 10, 5)], pauseMillis: 2000 })
    const after = await stub.reserve({ uses: [perSecond(key, 10, 5)], count: 1, horizonMillis: 0 })
    expect(after.slots[0]).toBeGreaterThanOrEqual(pausedAt + 2000)
  })

  it("keeps its buckets across a restart of the object", async () => {
    const key = freshKey("restart")
    const use = perSecond(key, 1, 2)
    const stub = stubFor(key)
    await stub.reserve({ uses: [use], count: 2, horizonMillis: 0 })
    const next = await runInDurableObject(stub, (_, state) =>
      new RateLimitStore(state, {}).reserve({ uses: [use], count: 1, horizonMillis: 0 })
    )
    expect(next.slots[0]! - next.now).toBeGreaterThan(900)
  })

  it("keeps a lowered rate and its ceiling across a restart, and upgrades older tables", async () => {
    const key = freshKey("adapted")
    const use = perSecond(key, 10, 5)
    const stub = stubFor(key)
    await stub.throttled({ uses: [use], pauseMillis: 0 })
    const kept = await runInDurableObject(stub, (_, state) => {
      const [row] = state.storage.sql
        .exec<{ factor: number; ceiling: number }>(
          "SELECT factor, ceiling FROM bucket WHERE key = ?",
          key
        )
        .toArray()
      // A table from before the ceiling existed: the column is added back, as no ceiling.
      state.storage.sql.exec("ALTER TABLE bucket DROP COLUMN ceiling")
      new RateLimitStore(state, {})
      const [upgraded] = state.storage.sql
        .exec<{ ceiling: number }>("SELECT ceiling FROM bucket WHERE key = ?", key)
        .toArray()
      return { row, upgraded }
    })
    expect(kept.row).toEqual({ factor: 0.5, ceiling: 1 })
    expect(kept.upgraded).toEqual({ ceiling: 1 })
  })

  it("weighs the calls accepted between throttle signals, and upgrades tables without them", async () => {
    const key = freshKey("weighed")
    const use = perSecond(key, 10, 5)
    const stub = stubFor(key)
    type Row = { factor: number; run: number; last_run: number; last_factor: number }
    const read = () =>
      runInDurableObject(
        stub,
        (_, state) =>
          state.storage.sql
            .exec<Row>("SELECT factor, run, last_run, last_factor FROM bucket WHERE key = ?", key)
            .toArray()[0]
      )
    await stub.throttled({ uses: [use], pauseMillis: 0, accepted: [10] })
    expect(await read()).toEqual({ factor: 0.5, run: 0, last_run: 10, last_factor: 1 })
    // As many accepted at the halved rate: the cut is undone.
    await stub.throttled({ uses: [use], pauseMillis: 0, accepted: [10] })
    expect(await read()).toEqual({ factor: 1, run: 0, last_run: 10, last_factor: 0.5 })
    // A count that is not one counts as none: fewer than before, so the raise is taken back.
    await stub.throttled({ uses: [use], pauseMillis: 0, accepted: [Number.NaN] })
    expect(await read()).toEqual({ factor: 0.5, run: 0, last_run: 0, last_factor: 1 })

    const upgraded = await runInDurableObject(stub, (_, state) => {
      for (const column of ["run", "last_run", "last_factor", "signals"]) {
        state.storage.sql.exec(`ALTER TABLE bucket DROP COLUMN ${column}`)
      }
      new RateLimitStore(state, {})
    }).then(read)
    expect(upgraded).toEqual({ factor: 0.5, run: 0, last_run: 0, last_factor: 0 })
  })

  it("rejects a reservation without valid uses", async () => {
    const stub = stubFor(freshKey("invalid"))
    await expect(stub.reserve({ uses: [], count: 1, horizonMillis: 0 })).rejects.toThrow(
      /one or more uses/
    )
    await expect(
      stub.reserve({ uses: [perSecond("bad:key:x", 0, 1)], count: 1, horizonMillis: 0 })
    ).rejects.toThrow(/positive rate/)
  })
})
