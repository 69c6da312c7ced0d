import { Config, Duration, Option } from "effect"
import type { Limit } from "./Limit"
import type { RetryOptions } from "./Retry"

/** Settings every service shares, each overridable per deployment. */
export interface Settings {
  /** The service's main limit. */
  readonly limit: Limit
  readonly retry: RetryOptions
  readonly timeout: Duration.Duration
  readonly concurrency: number
}

/** What a service's defaults look like before configuration. */
export interface Defaults {
  readonly limit: Limit
  readonly retry?: Partial<RetryOptions>
  readonly timeout?: Duration.DurationInput
  readonly concurrency?: number
}

const optionalNumber = (name: string) => Config.option(Config.number(name))

/**
 * Reads a service's settings from configuration (environment variables locally, Worker vars
 * when deployed), falling back to the given defaults. With prefix `NOTION` the names are:
 * `NOTION_RATE_LIMIT` (units per period), `NOTION_RATE_BURST`, `NOTION_RATE_PERIOD_MS`,
 * `NOTION_TIMEOUT_MS`, `NOTION_MAX_ATTEMPTS`, `NOTION_RETRY_BASE_MS`, `NOTION_RETRY_MAX_MS`,
 * `NOTION_RETRY_ELAPSED_MS` and `NOTION_CONCURRENCY`. Configuration wins over options given
 * in code, which win over the documented defaults, so a deployment can tune without a change.
 */
export const settings = (
  prefix: string,
  defaults: Defaults,
  overrides: Partial<Defaults> = {}
): Config.Config<Settings> =>
  Config.all({
    rate: optionalNumber(`${prefix}_RATE_LIMIT`),
    burst: optionalNumber(`${prefix}_RATE_BURST`),
    period: optionalNumber(`${prefix}_RATE_PERIOD_MS`),
    timeout: optionalNumber(`${prefix}_TIMEOUT_MS`),
    maxAttempts: optionalNumber(`${prefix}_MAX_ATTEMPTS`),
    baseDelay: optionalNumber(`${prefix}_RETRY_BASE_MS`),
    maxDelay: optionalNumber(`${prefix}_RETRY_MAX_MS`),
    maxElapsed: optionalNumber(`${prefix}_RETRY_ELAPSED_MS`),
    concurrency: optionalNumber(`${prefix}_CONCURRENCY`)
  }).pipe(
    Config.map((read) => {
      const base = { ...defaults, ...overrides, retry: { ...defaults.retry, ...overrides.retry } }
      const rate = Option.getOrElse(read.rate, () => base.limit.rate)
      const scaledBurst = Math.max(1, Math.round((base.limit.burst * rate) / base.limit.rate))
      const millis = (value: Option.Option<number>) => Option.map(value, Duration.millis)
      const retry: RetryOptions = {
        maxAttempts: Option.getOrElse(read.maxAttempts, () => base.retry?.maxAttempts ?? 5),
        baseDelay: Option.getOrElse(
          millis(read.baseDelay),
          () => base.retry?.baseDelay ?? "500 millis"
        ),
        maxDelay: Option.getOrElse(
          millis(read.maxDelay),
          () => base.retry?.maxDelay ?? "30 seconds"
        ),
        maxElapsed: Option.getOrElse(
          millis(read.maxElapsed),
          () => base.retry?.maxElapsed ?? "2 minutes"
        )
      }
      return {
        limit: {
          rate,
          // A configured rate without a burst keeps the default's proportion of burst to rate.
          burst: Option.getOrElse(read.burst, () => scaledBurst),
          per: Option.getOrElse(millis(read.period), () => base.limit.per)
        },
        retry,
        timeout: Option.getOrElse(millis(read.timeout), () =>
          Duration.decode(base.timeout ?? "30 seconds")
        ),
        concurrency: Option.getOrElse(read.concurrency, () => base.concurrency ?? 6)
      }
    })
  )

/** The part of a service's settings its outbound client takes: retries, timeout, concurrency. */
export const clientOptions = (settings: Settings) => ({
  retry: settings.retry,
  timeout: settings.timeout,
  concurrency: settings.concurrency
})
