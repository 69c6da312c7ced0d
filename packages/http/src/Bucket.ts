import { intervalMillis, type Limit } from "./Limit"

/**
 * State of one rate-limited key, kept as a theoretical arrival time (GCRA): the moment the
 * bucket would be full again. Pure functions over it serve every store, local or remote.
 */
export interface BucketState {
  /** When all granted units will have been paid back at the current rate (ms). */
  readonly tat: number
  /**
   * Share of the configured rate set by the last throttle episode (1 before any). The share in
   * use recovers from it over time: see `factorAt`.
   */
  readonly factor: number
  /** No unit is granted before this moment (ms), set from a Retry-After. */
  readonly pausedUntil: number
  /** When the share in use starts recovering from `factor` (ms). */
  readonly adjustedAt: number
  /** The share recovery may reach until the key has been calm for a while; 1 when unknown. */
  readonly ceiling: number
  /** Units the vendor accepted since the last throttle episode began: how long it ran clean. */
  readonly run: number
  /**
   * The run that ended at the episode before and the share it ran at, to weigh the current run
   * against (see `throttle`); 0 for both when there is nothing to weigh it against.
   */
  readonly lastRun: number
  readonly lastFactor: number
  /** Throttle signals of the last episode, the first included. */
  readonly signals: number
}

/** How the rate adapts when the vendor's real limit is lower than configured. */
export interface Adaptation {
  /** Multiplier applied to the rate on a new throttle episode. */
  readonly decrease: number
  /** The rate never falls below this share of the configured one. */
  readonly floor: number
  /** Share of the configured rate regained per second without throttling. */
  readonly recoveryPerSecond: number
  /** Seconds after a throttle episode's pause before the rate starts to recover. */
  readonly holdSeconds: number
  /** Seconds without a throttle after which recovery may go past `ceiling` again. */
  readonly calmSeconds: number
}

/**
 * Defaults, for a configured limit that may be higher than the vendor's real one:
 *
 * - a throttle episode halves the rate (the multiplicative decrease of TCP's congestion
 *   control), and the refused rate becomes the ceiling of recovery;
 * - the lowered rate holds for 10 s after the pause, then regains 0.5% of the configured rate a
 *   second, slowly enough that the vendor's burst absorbs the excess once it passes the real
 *   limit;
 * - an episode met while recovering above the last lowered rate shows that the real limit lies
 *   between the two: the rate goes back to the lowered one, which had run clean, and stays
 *   there, instead of being halved again below the real limit;
 * - after 5 minutes without a throttle the ceilings are forgotten, in case the vendor's limit
 *   rose;
 * - an episode after a change of rate weighs the calls accepted since the episode before against
 *   those accepted before the change, and undoes a cut that did not make throttles rarer (see
 *   `throttle`).
 */
export const defaultAdaptation: Adaptation = {
  decrease: 0.5,
  floor: 0.1,
  recoveryPerSecond: 0.005,
  holdSeconds: 10,
  calmSeconds: 300
}

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
  adjustedAt: now,
  ceiling: 1,
  run: 0,
  lastRun: 0,
  lastFactor: 0,
  signals: 0
})

/** Counts `units` the vendor accepted (answered without a throttle signal). */
export const accept = (state: BucketState, units: number): BucketState =>
  units > 0 ? { ...state, run: state.run + units } : state

/** When recovery may pass the ceiling again (ms). */
const calmAt = (state: BucketState, adaptation: Adaptation): number =>
  state.pausedUntil + adaptation.calmSeconds * 1000

/** Share of the configured rate regained between two moments (ms). */
const regained = (adaptation: Adaptation, from: number, to: number): number =>
  (adaptation.recoveryPerSecond * Math.max(0, to - from)) / 1000

/** The share of the configured rate in use at `now`: `factor`, recovered since `adjustedAt`. */
export const factorAt = (
  state: BucketState,
  now: number,
  adaptation: Adaptation = defaultAdaptation
): number => {
  const calm = calmAt(state, adaptation)
  const capped = Math.min(
    state.ceiling,
    state.factor + regained(adaptation, state.adjustedAt, Math.min(now, calm))
  )
  if (now <= calm) return Math.max(state.factor, capped)
  return Math.min(1, capped + regained(adaptation, Math.max(calm, state.adjustedAt), now))
}

/**
 * When the key is indistinguishable from one nobody has used (ms): paid back, unpaused and
 * recovered to the full rate. A store may forget it from then on.
 */
export const idleAt = (state: BucketState, adaptation: Adaptation = defaultAdaptation): number => {
  const settled = Math.max(state.tat, state.pausedUntil)
  if (state.factor >= 1) return settled
  const perMilli = adaptation.recoveryPerSecond / 1000
  // Below a ceiling, the last stretch of recovery waits for the calm.
  const from =
    state.ceiling >= 1 ? state.adjustedAt : Math.max(calmAt(state, adaptation), state.adjustedAt)
  return Math.max(settled, from + (1 - factorAt(state, from, adaptation)) / perMilli)
}

/** Milliseconds per unit at a share of the configured rate. */
const interval = (limit: Limit, factor: number): number => intervalMillis(limit) / factor

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
    const factor = factorAt(claim.state, now, adaptation)
    const t = interval(claim.limit, factor)
    const burst = usableBurst(claim.limit, factor)
    const room = Math.min(claim.cost, burst) - burst
    // Time owed stays as it is while the rate recovers, which errs on the slow side.
    const allowAt = Math.max(claim.state.tat, now) + room * t
    return { claim, t, allowAt: Math.max(allowAt, claim.state.pausedUntil) }
  })
  const at = prepared.reduce((latest, p) => Math.max(latest, p.allowAt), now)
  const states = prepared.map(({ claim, t }) => ({
    ...claim.state,
    tat: Math.max(claim.state.tat, at) + claim.cost * t
  }))
  return { at, states }
}

/**
 * Applies a throttle signal: nothing is granted before `until`. A signal that arrives while the
 * key is already paused belongs to the same episode and changes nothing but the pause's end. A
 * new episode sets the share of the rate in use (see `respond`), which holds until a while after
 * the pause. The vendor's bucket has refilled over the pause, so the share's burst is granted at
 * `until`, then its rate.
 */
export const throttle = (
  state: BucketState,
  now: number,
  until: number,
  adaptation: Adaptation = defaultAdaptation
): BucketState => {
  const pausedUntil = Math.max(state.pausedUntil, until)
  const holdUntil = pausedUntil + adaptation.holdSeconds * 1000
  if (now < state.pausedUntil) {
    return {
      ...state,
      pausedUntil,
      adjustedAt: Math.max(state.adjustedAt, holdUntil),
      signals: state.signals + 1
    }
  }
  const current = factorAt(state, now, adaptation)
  const { factor, ceiling, weigh } = respond(state, current, adaptation)
  // Time owed past the pause was counted at the old rate: it is repaid at the new one. Time
  // owed up to the end of the pause is absorbed by it.
  const owed = Math.max(0, state.tat - pausedUntil)
  return {
    tat: pausedUntil + owed * Math.max(1, current / factor),
    factor,
    pausedUntil,
    adjustedAt: holdUntil,
    ceiling,
    run: 0,
    lastRun: weigh ? state.run : 0,
    lastFactor: weigh ? current : 0,
    signals: 1
  }
}

/**
 * The share of the rate a new throttle episode met at `current` leaves in use, and the ceiling
 * of its recovery; `weigh` says whether the run that ends here is weighed at the next episode.
 *
 * Throttles that come from going faster than the vendor's limit come after more accepted calls
 * at a lower share and after fewer at a higher one; throttles the vendor sends for reasons of
 * its own come after as many either way. So an episode after a change of share weighs the run
 * that ends at it against the run before the change: a cut that lengthened the run is followed
 * by another cut, a cut that did not is undone (unless the episode that made it throttled
 * several calls at once, as going far over a limit does), and a raise that shortened the run is
 * taken back. Random throttles then move the rate around where it was instead of halving it down to
 * the floor, while a limit really lower than configured is still found by halving.
 */
const respond = (
  state: BucketState,
  current: number,
  adaptation: Adaptation
): { readonly factor: number; readonly ceiling: number; readonly weigh: boolean } => {
  // Met while recovering above the lowered share: the real limit lies between the two.
  if (current > state.factor) return { factor: state.factor, ceiling: state.factor, weigh: false }
  const cut = {
    factor: Math.max(adaptation.floor, current * adaptation.decrease),
    ceiling: current,
    weigh: true
  }
  const raise = (to: number) => ({
    factor: Math.min(1, to),
    ceiling: Math.max(state.ceiling, Math.min(1, to)),
    weigh: true
  })
  if (state.lastRun === 0) return cut
  if (current < state.lastFactor) {
    // Several calls throttled at once, when the cut was made, show the rate was the cause.
    if (state.run > state.lastRun * clearly || state.signals > 1) return cut
    return raise(state.lastFactor)
  }
  if (current > state.lastFactor) {
    if (state.run * clearly < state.lastRun) {
      return { factor: state.lastFactor, ceiling: current, weigh: true }
    }
    return raise(current / adaptation.decrease)
  }
  // The same share as at the episode before: at the floor, try a higher one.
  return current <= adaptation.floor ? raise(current / adaptation.decrease) : cut
}

/** How much longer or shorter a run must be than the one before to count as a change. */
const clearly = 1.5
