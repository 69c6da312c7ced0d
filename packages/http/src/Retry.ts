import { Duration, Effect, Option, Schedule } from "effect"

/** How a call is retried. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included. An attempt the vendor refused with a throttle signal
   * does not count (each adds one to the allowance the log shows): the vendor asked for it to
   * be sent again later, and `maxElapsed` bounds how long.
   */
  readonly maxAttempts: number
  /** Delay before the first retry; doubles each time, with jitter. */
  readonly baseDelay: Duration.DurationInput
  /** No single backoff delay exceeds this (a vendor's Retry-After may). */
  readonly maxDelay: Duration.DurationInput
  /**
   * No retry starts later than this after the first failure. Time spent queued behind other
   * calls (for a permit or a rate-limit slot) does not count: it bounds how long a failing
   * vendor is retried, not how long a call waits its turn.
   */
  readonly maxElapsed: Duration.DurationInput
}

/** Five attempts, 500 ms doubling to at most 30 s, within two minutes. */
export const defaults: RetryOptions = {
  maxAttempts: 5,
  baseDelay: "500 millis",
  maxDelay: "30 seconds",
  maxElapsed: "2 minutes"
}

/** A failed attempt, as the retry schedule sees it. */
export interface Failure {
  readonly retryable: boolean
  /** The vendor refused the attempt because of its rate limit. */
  readonly throttled?: boolean
  readonly retryAfter: Option.Option<Duration.Duration>
  /** What the user reads before a retry, e.g. "Notion rate limit hit on pages.create". */
  readonly summary: string
  /**
   * Milliseconds since the first failure spent queued: for a permit, the rate limiter, or a
   * lookup of the call's result (which waits in the same queues).
   */
  readonly queuedMs?: number
}

const seconds = (delay: Duration.Duration): string =>
  `${(Duration.toMillis(delay) / 1000).toFixed(1)} s`

/**
 * The retry schedule: exponential backoff with jitter, capped per delay, in attempts and in
 * elapsed time (less the time spent queued behind other calls); a Retry-After carried by the
 * failure replaces the backoff delay. A retry that would start after `maxElapsed` is not made,
 * so a Retry-After of hours ends the call at once instead of holding it. Each retry is logged
 * with its delay and attempt number (throttles do not use up attempts; see `maxAttempts`).
 */
export const schedule = <F extends Failure>(
  options: RetryOptions
): Schedule.Schedule<unknown, F> => {
  const maxDelay = Duration.decode(options.maxDelay)
  const maxElapsed = Duration.decode(options.maxElapsed)
  const backoff = Schedule.exponential(options.baseDelay, 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay)),
    Schedule.delays
  )
  // Failed attempts before this one that count against maxAttempts: all but throttles.
  const earlierFaults = Schedule.identity<F>().pipe(
    Schedule.reduce(0, (count: number, failure: F) => (failure.throttled ? count : count + 1))
  )
  const faultsOf = (failure: F, earlier: number) => earlier + (failure.throttled ? 0 : 1)
  return Schedule.zipWith(backoff, Schedule.identity<F>(), (backoffDelay, failure) => ({
    failure,
    delay: Option.getOrElse(failure.retryAfter, () => backoffDelay)
  })).pipe(
    Schedule.modifyDelay((next) => next.delay),
    Schedule.whileInput((failure: F) => failure.retryable),
    Schedule.intersect(earlierFaults),
    Schedule.intersect(Schedule.count),
    Schedule.intersect(Schedule.elapsed),
    Schedule.check((failure: F, [[[next, earlier]], elapsed]) => {
      if (faultsOf(failure, earlier) >= options.maxAttempts) return false
      const retrying = Duration.toMillis(elapsed) - (failure.queuedMs ?? 0)
      return retrying + Duration.toMillis(next.delay) <= Duration.toMillis(maxElapsed)
    }),
    Schedule.modifyDelayEffect(([[[next, earlier], retries]], delay) => {
      // Each throttle so far adds an attempt to the allowance.
      const allowed = options.maxAttempts + (retries + 1 - faultsOf(next.failure, earlier))
      return Effect.logWarning(
        `${next.failure.summary}; retrying in ${seconds(delay)} ` +
          `(attempt ${retries + 2} of ${allowed})`
      ).pipe(Effect.as(delay))
    })
  )
}
