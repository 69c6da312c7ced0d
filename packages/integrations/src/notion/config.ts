import { Limit, ServiceConfig } from "@workway/http"
import { Config, type Redacted } from "effect"
import { given } from "../internal/config"

/** Notion's average of 3 requests a second per integration, with short bursts. */
export const defaultLimit: Limit.Limit = Limit.perSecond(3, 5)

/** What a Notion client needs, each value given in code or read from configuration. */
export interface Options {
  /** `NOTION_TOKEN`: the integration's secret. */
  readonly token?: Redacted.Redacted<string>
  /** `NOTION_BASE_URL`, `https://api.notion.com/v1` by default. */
  readonly baseUrl?: string
  /** `NOTION_VERSION`, the `Notion-Version` header; `2025-09-03` by default. */
  readonly version?: string
  /** Limit, retries, timeout and concurrency (`NOTION_RATE_LIMIT`, ...). */
  readonly settings?: Partial<ServiceConfig.Defaults>
}

/** A Notion client's configuration, resolved. */
export interface Configuration {
  readonly token: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly version: string
  readonly settings: ServiceConfig.Settings
}

/**
 * Reads a Notion client's configuration. The token, URL and version given in code are used
 * as given; limits, retries and timeouts follow `ServiceConfig.settings`, where configuration
 * wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    token: given(options.token, Config.redacted("NOTION_TOKEN")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("NOTION_BASE_URL"), "https://api.notion.com/v1")
    ),
    version: given(
      options.version,
      Config.withDefault(Config.string("NOTION_VERSION"), "2025-09-03")
    ),
    settings: ServiceConfig.settings("NOTION", { limit: defaultLimit }, options.settings)
  }).pipe(
    Config.map((resolved) => ({ ...resolved, baseUrl: resolved.baseUrl.replace(/\/+$/, "") }))
  )
