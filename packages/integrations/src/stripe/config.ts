import { Limit, ServiceConfig } from "@workway/http"
import { Config, Redacted } from "effect"
import { given } from "../internal/config"

/** Stripe's documented request rates: 25 a second in test mode, 100 in live mode. */
export const defaultLimits = {
  test: Limit.perSecond(25),
  live: Limit.perSecond(100)
} as const

/** Whether a secret or restricted key belongs to test mode or live mode. */
export const modeOf = (key: Redacted.Redacted<string>): "test" | "live" =>
  /^(sk|rk)_test_/.test(Redacted.value(key)) ? "test" : "live"

/** What a Stripe client needs, each value given in code or read from configuration. */
export interface Options {
  /** `STRIPE_SECRET_KEY`: `sk_test_...` or `sk_live_...` (or a restricted `rk_` key). */
  readonly secretKey?: Redacted.Redacted<string>
  /** `STRIPE_BASE_URL`, `https://api.stripe.com/v1` by default. */
  readonly baseUrl?: string
  /** `STRIPE_API_VERSION`: the `Stripe-Version` header; the account's default when absent. */
  readonly apiVersion?: string
  /**
   * Limit (`STRIPE_RATE_LIMIT`, 25/s for a test key and 100/s for a live one by default),
   * retries, timeout and concurrency (`STRIPE_*`).
   */
  readonly settings?: Partial<ServiceConfig.Defaults>
}

/** A Stripe client's configuration, resolved. */
export interface Configuration {
  readonly secretKey: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly apiVersion: string | undefined
  readonly mode: "test" | "live"
  readonly settings: ServiceConfig.Settings
}

/**
 * Reads a Stripe client's configuration. The key, URL and version given in code are used as
 * given; the default limit follows the key's mode; limits, retries and timeouts follow
 * `ServiceConfig.settings`, where configuration wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    secretKey: given(options.secretKey, Config.redacted("STRIPE_SECRET_KEY")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("STRIPE_BASE_URL"), "https://api.stripe.com/v1")
    ),
    apiVersion: given(
      options.apiVersion,
      Config.withDefault(Config.string("STRIPE_API_VERSION"), "")
    ),
    test: ServiceConfig.settings("STRIPE", { limit: defaultLimits.test }, options.settings),
    live: ServiceConfig.settings("STRIPE", { limit: defaultLimits.live }, options.settings)
  }).pipe(
    Config.map((resolved) => {
      const mode = modeOf(resolved.secretKey)
      return {
        secretKey: resolved.secretKey,
        baseUrl: resolved.baseUrl.replace(/\/+$/, ""),
        apiVersion: resolved.apiVersion === "" ? undefined : resolved.apiVersion,
        mode,
        settings: resolved[mode]
      }
    })
  )
