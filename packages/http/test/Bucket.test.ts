import { describe, expect, it } from "@effect/vitest"
import * as Bucket from "../src/Bucket"
import * as Limit from "../src/Limit"

const perSecond2 = Limit.perSecond(2, 3)

/** Reserves `cost` units on one key at each of `times`, answering the granted moments. */
const grants = (
  limit: Limit.Limit,
  times: ReadonlyArray<number>,
  state: Bucket.BucketState = Bucket.initial(0),
  cost = 1
) => {
  let current = state
  return times.map((now) => {
    const { at, states } = Bucket.reserve([{ limit, cost, state: current }], now)
    current = states[0] ?? current
    return at
  })
}

/** A caller that asks again the moment it is granted, from `start` until `end`. */
const saturate = (limit: Limit.Limit, state: Bucket.BucketState, start: number, end: number) => {
  const granted: Array<number> = []
  let current = state
  let now = start
  while (now < end) {
    const { at, states } = Bucket.reserve([{ limit, cost: 1, state: current }], now)
    current = states[0] ?? current
    granted.push(at)
    now = at
  }
  return { granted, state: current }
}

const count = (times: ReadonlyArray<number>, from: number, to: number) =>
  times.filter((t) => t >= from && t < to).length

describe("reserve", () => {
  it("a full key grants all of its burst but one unit at once, then one unit per interval", () => {
    expect(Bucket.usableBurst(perSecond2)).toBe(2)
    expect(grants(perSecond2, [0, 0, 0, 0, 0, 0])).toEqual([0, 0, 500, 1000, 1500, 2000])
  })

  it("a burst of 1 is spent whole: no unit can be held back", () => {
    expect(Bucket.usableBurst(Limit.perSecond(1, 1))).toBe(1)
    expect(grants(Limit.perSecond(1, 1), [0, 0, 0])).toEqual([0, 1000, 2000])
  })

  it("an idle key refills to the burst it spends, not beyond", () => {
    const busy = Bucket.reserve([{ limit: perSecond2, cost: 3, state: Bucket.initial(0) }], 0)
      .states[0]
    expect(grants(perSecond2, [60_000, 60_000, 60_000, 60_000], busy)).toEqual([
      60_000, 60_000, 60_500, 61_000
    ])
  })

  it("a call costing several units waits until all of them are available", () => {
    const { states } = Bucket.reserve([{ limit: perSecond2, cost: 3, state: Bucket.initial(0) }], 0)
    const next = Bucket.reserve([{ limit: perSecond2, cost: 2, state: states[0]! }], 0)
    expect(next.at).toBe(1500)
  })

  it("a call costing more than the burst is granted once the key is full and charged in full", () => {
    const limit = Limit.perSecond(1, 1)
    const big = Bucket.reserve([{ limit, cost: 5, state: Bucket.initial(0) }], 0)
    expect(big.at).toBe(0)
    const next = Bucket.reserve([{ limit, cost: 1, state: big.states[0]! }], 0)
    expect(next.at).toBe(5000)
  })

  it("with several keys, the call waits for the latest and advances each key from then", () => {
    const fast = Limit.perSecond(10, 1)
    const slow = Limit.perSecond(1, 1)
    const slowBusy = { ...Bucket.initial(0), tat: 3000 }
    const { at, states } = Bucket.reserve(
      [
        { limit: fast, cost: 1, state: Bucket.initial(0) },
        { limit: slow, cost: 1, state: slowBusy }
      ],
      0
    )
    expect(at).toBe(3000)
    expect(states[0]?.tat).toBe(3100)
    expect(states[1]?.tat).toBe(4000)
  })
})

describe("throttle", () => {
  it("pauses the key until the given moment, then grants the lowered burst and the lowered rate", () => {
    // 10 a second with a burst of 10: 9 units at once; halved, 4 at once and one per 200 ms.
    const limit = Limit.perSecond(10, 10)
    const paused = Bucket.throttle(Bucket.initial(0), 0, 5000)
    const times = grants(
      limit,
      Array.from({ length: 7 }, () => 100),
      paused
    )
    expect(Bucket.usableBurst(limit, 0.5)).toBe(4)
    expect(times.slice(0, 4)).toEqual([5000, 5000, 5000, 5000])
    expect(times[4]).toBeCloseTo(5200, 6)
    expect(times[5]).toBeCloseTo(5400, 6)
    expect(times[6]).toBeCloseTo(5600, 6)
  })

  it("a signal during the pause belongs to the same episode and does not lower the rate again", () => {
    const first = Bucket.throttle(Bucket.initial(0), 0, 5000)
    const again = Bucket.throttle(first, 10, 5000)
    const later = Bucket.throttle(again, 4000, 6000)
    expect(first.factor).toBeCloseTo(0.5, 9)
    expect(again.factor).toBeCloseTo(0.5, 9)
    expect(later.factor).toBeCloseTo(0.5, 9)
    expect(later.pausedUntil).toBe(6000)
  })

  it("a signal after the pause is a new episode and lowers the rate again", () => {
    const first = Bucket.throttle(Bucket.initial(0), 0, 1000)
    const second = Bucket.throttle(first, 1000, 2000)
    expect(second.factor).toBeCloseTo(0.25, 9)
  })

  it("never lowers the rate below the floor", () => {
    let state = Bucket.initial(0)
    for (let episode = 0; episode < 20; episode++) {
      state = Bucket.throttle(state, episode * 1000, episode * 1000 + 1)
    }
    expect(state.factor).toBeCloseTo(Bucket.defaultAdaptation.floor, 9)
  })

  it("a signal with no pause still lowers the rate of the units already owed", () => {
    const limit = Limit.perSecond(10, 4)
    let state = Bucket.initial(0)
    for (let i = 0; i < 4; i++) {
      state = Bucket.reserve([{ limit, cost: 1, state }], 0).states[0] ?? state
    }

    const throttled = Bucket.throttle(state, 0, 0)
    const [next] = grants(limit, [0], throttled)

    // Four units owed at the halved rate (200 ms each), whose burst is one unit.
    expect(Bucket.usableBurst(limit, Bucket.defaultAdaptation.decrease)).toBe(1)
    expect(next).toBeCloseTo(4 * (100 / Bucket.defaultAdaptation.decrease), 6)
  })
})

describe("weighing runs between throttle episodes", () => {
  /** Episodes one second apart, each after `runs[i]` accepted units: the shares they leave. */
  const episodes = (runs: ReadonlyArray<number>, state = Bucket.initial(0)) => {
    let current = state
    return runs.map((run, i) => {
      current = Bucket.throttle(Bucket.accept(current, run), i * 1000, i * 1000 + 1000)
      return current
    })
  }

  it("a cut after which as many calls pass between throttles is undone", () => {
    const [first, second] = episodes([10, 10])
    expect(first?.factor).toBeCloseTo(0.5, 9)
    expect(second?.factor).toBe(1)
    expect(second?.lastRun).toBe(10)
    expect(second?.lastFactor).toBeCloseTo(0.5, 9)
  })

  it("a cut that lengthened the run is followed by another", () => {
    const [, second, third] = episodes([5, 12, 30])
    expect(second?.factor).toBeCloseTo(0.25, 9)
    expect(third?.factor).toBeCloseTo(0.125, 9)
  })

  it("a cut made when several calls were throttled at once is not undone", () => {
    const first = Bucket.throttle(Bucket.accept(Bucket.initial(0), 10), 0, 1000)
    const echoed = Bucket.throttle(first, 50, 1050)
    expect(echoed.signals).toBe(2)
    const second = Bucket.throttle(Bucket.accept(echoed, 10), 2000, 3000)
    expect(second.factor).toBeCloseTo(0.25, 9)
    expect(second.signals).toBe(1)
  })

  it("a raise after which fewer calls pass between throttles is taken back", () => {
    const [, raised, back] = episodes([10, 10, 4])
    expect(raised?.factor).toBe(1)
    expect(back?.factor).toBeCloseTo(0.5, 9)
    expect(back?.ceiling).toBe(1)
  })

  it("a raise that did no harm stays, and the next episode at that share cuts again", () => {
    const [, raised, kept, cut] = episodes([10, 10, 12, 12])
    expect(raised?.factor).toBe(1)
    expect(kept?.factor).toBe(1)
    expect(cut?.factor).toBeCloseTo(0.5, 9)
  })

  it("an episode met while recovering leaves nothing to weigh", () => {
    const { holdSeconds } = Bucket.defaultAdaptation
    const first = Bucket.throttle(Bucket.accept(Bucket.initial(0), 10), 0, 1000)
    const recovering = 1000 + holdSeconds * 1000 + 6000
    const second = Bucket.throttle(Bucket.accept(first, 50), recovering, recovering + 1000)
    expect(second.factor).toBeCloseTo(0.5, 9)
    expect(second.lastRun).toBe(0)
    const third = Bucket.throttle(Bucket.accept(second, 50), recovering + 2000, recovering + 3000)
    expect(third.factor).toBeCloseTo(0.25, 9)
  })
})

describe("adaptive rate", () => {
  const { holdSeconds, calmSeconds, recoveryPerSecond } = Bucket.defaultAdaptation

  it("does not recover while the key is paused, nor for the hold after the pause", () => {
    const paused = Bucket.throttle(Bucket.initial(0), 0, 10_000)
    expect(Bucket.factorAt(paused, 9000)).toBeCloseTo(0.5, 9)
    expect(Bucket.factorAt(paused, 10_000 + holdSeconds * 1000)).toBeCloseTo(0.5, 9)
  })

  it("regains 0.5% of the configured rate per second after the hold, up to all of it", () => {
    const paused = Bucket.throttle(Bucket.initial(0), 0, 1000)
    const resumed = 1000 + holdSeconds * 1000
    expect(Bucket.factorAt(paused, resumed + 20_000)).toBeCloseTo(0.5 + 20 * recoveryPerSecond, 9)
    expect(Bucket.factorAt(paused, resumed + 100_000)).toBe(1)
  })

  it("an episode met while recovering goes back to the lowered rate, which then holds", () => {
    const first = Bucket.throttle(Bucket.initial(0), 0, 1000)
    const recovering = 1000 + holdSeconds * 1000 + 6000
    expect(Bucket.factorAt(first, recovering)).toBeCloseTo(0.53, 9)

    const second = Bucket.throttle(first, recovering, recovering + 1000)

    expect(second.factor).toBeCloseTo(0.5, 9)
    expect(second.ceiling).toBeCloseTo(0.5, 9)
    // No recovery past the rate that ran clean, until the key has been calm for a while.
    expect(Bucket.factorAt(second, recovering + 60_000)).toBeCloseTo(0.5, 9)
    const calm = second.pausedUntil + calmSeconds * 1000
    expect(Bucket.factorAt(second, calm)).toBeCloseTo(0.5, 9)
    expect(Bucket.factorAt(second, calm + 10_000)).toBeCloseTo(0.5 + 10 * recoveryPerSecond, 9)
  })

  it("an episode during the hold halves the rate again; recovery stops below the refused rate", () => {
    const first = Bucket.throttle(Bucket.initial(0), 0, 1000)
    const second = Bucket.throttle(first, 3000, 4000)
    expect(second.factor).toBeCloseTo(0.25, 9)
    expect(second.ceiling).toBeCloseTo(0.5, 9)
    const recovered = Bucket.factorAt(second, 4000 + holdSeconds * 1000 + 200_000)
    expect(recovered).toBeCloseTo(0.5, 9)
  })

  it("a key is idle once it is paid back, unpaused and recovered", () => {
    const fresh = Bucket.initial(0)
    expect(Bucket.idleAt(fresh)).toBe(0)
    const paused = Bucket.throttle(fresh, 0, 1000)
    const idle = Bucket.idleAt(paused)
    expect(idle).toBeCloseTo(1000 + holdSeconds * 1000 + (0.5 / recoveryPerSecond) * 1000, 6)
    expect(Bucket.factorAt(paused, idle)).toBe(1)
    expect(Bucket.factorAt(paused, idle - 1000)).toBeLessThan(1)
  })

  it("once throttles stop, the granted rate climbs back to the configured rate", () => {
    const limit = Limit.perSecond(10, 10)
    const paused = Bucket.throttle(Bucket.initial(0), 0, 1000)
    const { granted } = saturate(limit, paused, 0, 161_000)
    const windows = Array.from({ length: 16 }, (_, i) =>
      count(granted, 1000 + i * 10_000, 11_000 + i * 10_000)
    )

    expect(windows[0]).toBeLessThanOrEqual(56)
    windows.slice(1).forEach((n, i) => {
      expect(n).toBeGreaterThanOrEqual((windows[i] ?? 0) - 1)
    })
    expect(windows[3]).toBeGreaterThan((windows[0] ?? 0) + 5)
    expect(windows.slice(-4)).toEqual([100, 100, 100, 100])
  })
})
