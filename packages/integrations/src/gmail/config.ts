import { Limit, ServiceConfig } from "@workway/http"
import { Config, type Redacted } from "effect"
import { given } from "../internal/config"

/** Gmail's per-user quota: 15,000 units a minute, each call weighted by its units. */
export const defaultLimit: Limit.Limit = Limit.perMinute(15_000)

/** Message gets per multipart batch request: Gmail takes 100, and discourages more than 50. */
export const defaultBatchSize = 50

/** What a Gmail client needs, each value given in code or read from configuration. */
export interface Options {
  /** `GMAIL_ACCESS_TOKEN`: an OAuth access token of the mailbox's user. */
  readonly accessToken?: Redacted.Redacted<string>
  /** `GMAIL_USER_ID`: the mailbox, `me` (the token's user) by default. */
  readonly userId?: string
  /** `GMAIL_BASE_URL`, `https://gmail.googleapis.com/gmail/v1` by default. */
  readonly baseUrl?: string
  /** `GMAIL_BATCH_URL`, `https://www.googleapis.com/batch/gmail/v1` by default. */
  readonly batchUrl?: string
  /** `GMAIL_BATCH_SIZE`: gets per batch request, 1 to 100; 50 by default. */
  readonly batchSize?: number
  /**
   * The per-user quota in units (`GMAIL_RATE_LIMIT`, `GMAIL_RATE_BURST`,
   * `GMAIL_RATE_PERIOD_MS`), retries, timeout and concurrency (`GMAIL_*`).
   */
  readonly settings?: Partial<ServiceConfig.Defaults>
}

/** A Gmail client's configuration, resolved. */
export interface Configuration {
  readonly accessToken: Redacted.Redacted<string>
  readonly userId: string
  readonly baseUrl: string
  readonly batchUrl: string
  readonly batchSize: number
  readonly settings: ServiceConfig.Settings
}

/**
 * Reads a Gmail client's configuration. The token, user and URLs given in code are used as
 * given; the quota, retries and timeouts follow `ServiceConfig.settings`, where configuration
 * wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    accessToken: given(options.accessToken, Config.redacted("GMAIL_ACCESS_TOKEN")),
    userId: given(options.userId, Config.withDefault(Config.string("GMAIL_USER_ID"), "me")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("GMAIL_BASE_URL"), "https://gmail.googleapis.com/gmail/v1")
    ),
    batchUrl: given(
      options.batchUrl,
      Config.withDefault(
        Config.string("GMAIL_BATCH_URL"),
        "https://www.googleapis.com/batch/gmail/v1"
      )
    ),
    batchSize: given(
      options.batchSize,
      Config.withDefault(Config.integer("GMAIL_BATCH_SIZE"), defaultBatchSize)
    ),
    settings: ServiceConfig.settings("GMAIL", { limit: defaultLimit }, options.settings)
  }).pipe(
    Config.map((resolved) => ({
      ...resolved,
      baseUrl: resolved.baseUrl.replace(/\/+$/, ""),
      batchSize: Math.min(100, Math.max(1, Math.floor(resolved.batchSize)))
    }))
  )
