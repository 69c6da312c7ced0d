import { Limit, ServiceConfig } from "@workway/http"
import { Config, type Redacted } from "effect"
import { given, limit } from "../internal/config"

/** Zoom's per-second limits of a Pro account, by rate-limit category. */
export const defaultLimits = {
  light: Limit.perSecond(30),
  medium: Limit.perSecond(20)
} as const

/** What a Zoom client needs, each value given in code or read from configuration. */
export interface Options {
  /** `ZOOM_ACCOUNT_ID`: the account the Server-to-Server OAuth app belongs to. */
  readonly accountId?: string
  /** `ZOOM_CLIENT_ID` */
  readonly clientId?: string
  /** `ZOOM_CLIENT_SECRET` */
  readonly clientSecret?: Redacted.Redacted<string>
  /** `ZOOM_BASE_URL`, `https://api.zoom.us/v2` by default. */
  readonly baseUrl?: string
  /** `ZOOM_OAUTH_URL`, `https://zoom.us/oauth/token` by default. */
  readonly oauthUrl?: string
  /** Retries, timeout, concurrency and the Light category's limit (`ZOOM_*`). */
  readonly settings?: Partial<ServiceConfig.Defaults>
  /** The Medium category's limit (`ZOOM_MEDIUM_RATE_LIMIT`, ...). */
  readonly mediumLimit?: Limit.Limit
}

/** A Zoom client's configuration, resolved. */
export interface Configuration {
  readonly accountId: string
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly oauthUrl: string
  readonly settings: ServiceConfig.Settings
  readonly limits: { readonly light: Limit.Limit; readonly medium: Limit.Limit }
}

/**
 * Reads a Zoom client's configuration. Credentials and URLs given in code are used as given;
 * limits, retries and timeouts follow `ServiceConfig.settings`, where configuration wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    accountId: given(options.accountId, Config.string("ZOOM_ACCOUNT_ID")),
    clientId: given(options.clientId, Config.string("ZOOM_CLIENT_ID")),
    clientSecret: given(options.clientSecret, Config.redacted("ZOOM_CLIENT_SECRET")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("ZOOM_BASE_URL"), "https://api.zoom.us/v2")
    ),
    oauthUrl: given(
      options.oauthUrl,
      Config.withDefault(Config.string("ZOOM_OAUTH_URL"), "https://zoom.us/oauth/token")
    ),
    settings: ServiceConfig.settings("ZOOM", { limit: defaultLimits.light }, options.settings),
    medium: limit("ZOOM_MEDIUM", defaultLimits.medium, options.mediumLimit)
  }).pipe(
    Config.map(({ medium, ...resolved }) => ({
      ...resolved,
      baseUrl: resolved.baseUrl.replace(/\/+$/, ""),
      limits: { light: resolved.settings.limit, medium }
    }))
  )
