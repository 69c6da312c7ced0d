import { intervalMillis, type Limit } from "./Limit"

/**
 * State of one rate-limited key, kept as a theoretical arrival time (GCRA): the moment the
 * bucket would be full again. Pure functions over it serve every store, local or remote.
 */
export interface BucketState {
  /** When all granted units will have been paid back at the current rate (ms). */
  readonly tat: number
  /** Share of the configured rate in use, lowered when the vendor throttles despite pacing. */
  readonly factor: number
  /** No unit is granted before this moment (ms), set from a Retry-After. */
  readonly pausedUntil: number
  /** When `factor` starts recovering from its last change (ms): then, or the end of a pause. */
  readonly adjustedAt: number
}

/** How the rate adapts when the vendor's real limit is lower than configured. */
export interface Adaptation {
  /** Multiplier applied to the rate on a new throttle episode. */
  readonly decrease: number
  /** The rate never falls below this share of the configured one. */
  readonly floor: number
  /** Share of the configured rate regained per second without throttling. */
  readonly recoveryPerSecond: number
}

/**
 * Defaults: halve the rate on each throttle episode (the multiplicative decrease of TCP's
 * congestion control) and regain 0.5% of the configured rate per second: a rate halved from twice
 * the vendor's real limit creeps back over it slowly enough that the vendor's burst, refilled
 * during the pause, absorbs the excess for several seconds.
 */
export const defaultAdaptation: Adaptation = { decrease: 0.5, floor: 0.1, recoveryPerSecond: 0.005 }

/**
 * The units of the burst spent at once. One unit is held back (unless the burst is 1): requests
 * leave here at exact intervals but reach the vendor with network jitter, and a unit of slack in
 * the vendor's bucket absorbs up to one interval of it. A lowered rate lowers the burst with it.
 */
export const usableBurst = (limit: Limit, factor = 1): number =>
  Math.max(1, Math.floor((limit.burst - 1) * factor))

/** A bucket nobody has used yet. */
export const initial = (now: number): BucketState => ({
  tat: now,
  factor: 1,
  pausedUntil: 0,
  adjustedAt: now
})

/** The factor after recovering since the last adjustment. */
const recovered = (state: BucketState, now: number, adaptation: Adaptation): number =>
  Math.min(
    1,
    state.factor + (adaptation.recoveryPerSecond * Math.max(0, now - state.adjustedAt)) / 1000
  )

/** Milliseconds per unit at the bucket's current rate. */
const interval = (limit: Limit, factor: number): number => intervalMillis(limit) / factor

/**
 * The theoretical arrival time once the factor is lowered to `to` at `from`: the time owed after
 * `from` is repaid at the new rate. Without this, a lower rate would make the time owed look like
 * fewer units and let more than the burst through. (Time owed may include a wait another key
 * imposed; repricing it too errs on the slow side.) A rising factor keeps the time owed as it is,
 * which also errs on the slow side.
 */
const repriced = (state: BucketState, limit: Limit, from: number, to: number): number =>
  to >= state.factor || state.tat <= from
    ? state.tat
    : from + ((state.tat - from) * interval(limit, to)) / interval(limit, state.factor)

/** One key of a reservation, with its state as stored. */
export interface Claim {
  readonly limit: Limit
  readonly cost: number
  readonly state: BucketState
}

/**
 * Reserves `cost` units on every claimed key at the earliest moment all of them allow.
 * Returns that moment and the new state of each key, in order. A cost above the burst a key
 * spends at once is granted once the key is full, and charged in full.
 */
export const reserve = (
  claims: ReadonlyArray<Claim>,
  now: number,
  adaptation: Adaptation = defaultAdaptation
): { readonly at: number; readonly states: ReadonlyArray<BucketState> } => {
  const prepared = claims.map((claim) => {
    const factor = recovered(claim.state, now, adaptation)
    const t = interval(claim.limit, factor)
    const burst = usableBurst(claim.limit, factor)
    const room = Math.min(claim.cost, burst) - burst
    const tat = repriced(claim.state, claim.limit, now, factor)
    const allowAt = Math.max(tat, now) + room * t
    return { claim, factor, t, tat, allowAt: Math.max(allowAt, claim.state.pausedUntil) }
  })
  const at = prepared.reduce((latest, p) => Math.max(latest, p.allowAt), now)
  const states = prepared.map(({ claim, factor, t, tat }) => ({
    tat: Math.max(tat, at) + claim.cost * t,
    factor,
    pausedUntil: claim.state.pausedUntil,
    adjustedAt: factor === claim.state.factor ? claim.state.adjustedAt : now
  }))
  return { at, states }
}

/**
 * Applies a throttle signal: nothing is granted before `until`. A signal that arrives while the
 * key is already paused belongs to the same episode and does not lower the rate again. The rate
 * starts recovering when the pause ends, so the first unit after it is granted at `until`, not
 * later, and the others follow at the lowered rate with no burst: the vendor's bucket, refilled
 * over the pause, keeps that burst as slack for the rate's recovery to overshoot into.
 */
export const throttle = (
  state: BucketState,
  limit: Limit,
  now: number,
  until: number,
  adaptation: Adaptation = defaultAdaptation
): BucketState => {
  const sameEpisode = now < state.pausedUntil
  const current = recovered(state, now, adaptation)
  const factor = sameEpisode ? current : Math.max(adaptation.floor, current * adaptation.decrease)
  const t = interval(limit, factor)
  const pausedUntil = Math.max(state.pausedUntil, until)
  return {
    // Time owed up to the end of the pause is absorbed by it: callers whose slots fell inside
    // the pause reserve again once it ends.
    tat: Math.max(
      repriced(state, limit, pausedUntil, factor),
      pausedUntil + (usableBurst(limit, factor) - 1) * t
    ),
    factor,
    pausedUntil,
    adjustedAt: Math.max(now, pausedUntil)
  }
}
