import { Duration } from "effect"

/** A documented rate limit: `rate` units per `per`, with bursts of up to `burst` units. */
export interface Limit {
  readonly rate: number
  readonly per: Duration.Duration
  readonly burst: number
}

/** A limit that applies to a call, under the key that shares it (service, account, sub-key). */
export interface LimitUse {
  readonly key: string
  readonly limit: Limit
  /** Units the call costs against this limit (Gmail quota units); 1 when absent. */
  readonly cost?: number
}

/** `rate` per second, bursting to `burst` (at least 1). */
export const perSecond = (rate: number, burst: number = Math.max(1, Math.ceil(rate))): Limit => ({
  rate,
  per: Duration.seconds(1),
  burst: Math.max(1, burst)
})

/** `rate` per minute, bursting to `burst`. */
export const perMinute = (
  rate: number,
  burst: number = Math.max(1, Math.ceil(rate / 6))
): Limit => ({
  rate,
  per: Duration.minutes(1),
  burst: Math.max(1, burst)
})

/** `rate` per day, all of which may be spent at once. */
export const perDay = (rate: number): Limit => ({ rate, per: Duration.days(1), burst: rate })

/** Milliseconds between two units at the limit's average rate. */
export const intervalMillis = (limit: Limit): number => Duration.toMillis(limit.per) / limit.rate

/** A readable form, for logs: "3/s burst 5". */
export const describe = (limit: Limit): string => {
  const ms = Duration.toMillis(limit.per)
  const unit = ms === 1000 ? "s" : ms === 60_000 ? "min" : ms === 86_400_000 ? "day" : `${ms} ms`
  return `${limit.rate}/${unit} burst ${limit.burst}`
}
