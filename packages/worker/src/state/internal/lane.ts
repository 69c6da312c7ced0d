import * as Limit from "@workway/http/Limit"
import { Duration } from "effect"
import type { ReserveResponse, WireUse } from "../RateLimitStore"

/** How far leases may reach. */
export interface Policy {
  /** Slowest rate, in units per second, at which units are leased ahead of demand. */
  readonly minRate: number
  readonly horizonMillis: number
  /** Most units per round trip; 1 turns leasing off. */
  readonly max: number
}

/** A granted unit: its moment on this isolate's clock and on the store's. */
export interface Slot {
  readonly local: number
  readonly remote: number
}

/**
 * The units leased for one combination of keys, limits and costs, handed out in the order the
 * store granted them. Mutable: it belongs to one store in one isolate.
 */
export interface Lane {
  readonly object: string
  readonly uses: ReadonlyArray<Limit.LimitUse>
  readonly wire: ReadonlyArray<WireUse>
  readonly keys: ReadonlySet<string>
  /** How late a unit may still be taken: one interval of the tightest limit, 10 ms to 1 s. */
  readonly lateness: number
  /** Most units leased ahead of demand: the horizon's worth at the rate; 0 below the minimum. */
  readonly prefetchCap: number
  slots: Array<Slot>
  /** Units the next round trip leases beyond the callers waiting. */
  prefetch: number
  /** Callers wanting a unit of this lane right now. */
  demand: number
  /** Local moment of the last unit received, to tell sustained demand from a lull. */
  lastSlot: number
  /** Whether a unit expired unused since the last round trip. */
  wasted: boolean
  /** The round trip under way, which other callers wait for instead of making their own. */
  inflight: Promise<void> | undefined
}

const costOf = (use: Limit.LimitUse): number =>
  use.cost === undefined || use.cost <= 0 ? 1 : use.cost

/** Identifies the lane of a set of uses, whatever their order. */
export const signature = (uses: ReadonlyArray<Limit.LimitUse>): string =>
  uses
    .map((use) => `${use.key}\u0001${use.cost ?? 1}\u0001${Limit.describe(use.limit)}`)
    .sort()
    .join("\u0002")

/** A lane with nothing leased yet. */
export const make = (
  object: string,
  uses: ReadonlyArray<Limit.LimitUse>,
  wire: ReadonlyArray<WireUse>,
  policy: Policy
): Lane => {
  const unitsPerSecond = Math.min(
    ...uses.map((use) => (use.limit.rate * 1000) / Duration.toMillis(use.limit.per) / costOf(use))
  )
  const interval = Math.min(...uses.map((use) => Limit.intervalMillis(use.limit) * costOf(use)))
  const ahead = Math.floor((unitsPerSecond * policy.horizonMillis) / 1000)
  return {
    object,
    uses,
    wire,
    keys: new Set(uses.map((use) => use.key)),
    // The floor covers timer jitter, so a unit handed out as it arrives never counts as late.
    lateness: Math.min(1000, Math.max(10, interval)),
    prefetchCap:
      unitsPerSecond >= policy.minRate ? Math.max(0, Math.min(policy.max - 1, ahead)) : 0,
    slots: [],
    prefetch: 0,
    demand: 0,
    lastSlot: Number.NEGATIVE_INFINITY,
    wasted: false,
    inflight: undefined
  }
}

/**
 * Units to ask for in the next round trip: one per waiting caller, plus a prefetch that doubles
 * while the previous lease was used up in time and halves when units expired unused.
 */
export const count = (lane: Lane, now: number, policy: Policy): number => {
  if (policy.max <= 1) return 1
  const sustained = now <= lane.lastSlot + policy.horizonMillis
  lane.prefetch =
    !sustained || lane.prefetchCap === 0
      ? 0
      : lane.wasted
        ? Math.floor(lane.prefetch / 2)
        : Math.min(lane.prefetchCap, Math.max(1, lane.prefetch * 2))
  lane.wasted = false
  return Math.max(1, Math.min(policy.max, lane.demand + lane.prefetch))
}

/** Adds the units of a lease, moved to this isolate's clock; answers how many. */
export const receive = (lane: Lane, response: ReserveResponse, received: number): number => {
  // The answer left the store at `response.now` and arrived at `received`: mapping the store's
  // moments by that offset places them no earlier here than they were granted there.
  const offset = received - response.now
  for (const remote of response.slots) lane.slots.push({ local: remote + offset, remote })
  lane.slots.sort((a, b) => a.local - b.local)
  lane.lastSlot = lane.slots[lane.slots.length - 1]?.local ?? lane.lastSlot
  return response.slots.length
}

/** The next unit still usable at `now`, after dropping the ones that expired. */
export const take = (
  lane: Lane,
  now: number
): { readonly slot: Slot | undefined; readonly expired: number } => {
  let expired = 0
  while (lane.slots.length > 0 && lane.slots[0]!.local + lane.lateness < now) {
    lane.slots.shift()
    expired++
  }
  if (expired > 0) lane.wasted = true
  return { slot: lane.slots.shift(), expired }
}

/** Drops the leased units of a lane sharing any of `keys`; answers how many. */
export const drop = (lane: Lane, keys: ReadonlySet<string>): number => {
  if (![...lane.keys].some((key) => keys.has(key))) return 0
  const dropped = lane.slots.length
  lane.slots = []
  lane.prefetch = 0
  return dropped
}

/** Forgets lanes with nothing leased, nobody waiting and no round trip under way. */
export const prune = (lanes: Map<string, Lane>): void => {
  for (const [id, lane] of lanes) {
    if (lane.slots.length === 0 && lane.demand === 0 && lane.inflight === undefined) {
      lanes.delete(id)
    }
  }
}
