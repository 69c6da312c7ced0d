import { Limit, ServiceConfig } from "@workway/http"
import { Config, type Redacted } from "effect"
import { given, limit } from "../internal/config"

/** Slack's rate-limit tiers, each a limit per method per workspace. */
export type Tier = "tier1" | "tier2" | "tier3" | "tier4"

/** The documented minimum of each tier. */
export const defaultTiers: Readonly<Record<Tier, Limit.Limit>> = {
  tier1: Limit.perMinute(1),
  tier2: Limit.perMinute(20),
  tier3: Limit.perMinute(50),
  tier4: Limit.perMinute(100)
}

/**
 * The tier of each method. `chat.postMessage` has a special limit (about one message a second
 * per channel, several hundred a minute per workspace); its workspace bucket is paced as Tier 4.
 */
export const methodTiers: Readonly<Record<string, Tier>> = {
  "chat.postMessage": "tier4",
  "users.info": "tier4",
  "users.lookupByEmail": "tier3",
  "users.list": "tier2",
  "conversations.list": "tier2",
  "conversations.history": "tier3"
}

/** About one message a second per channel, with short bursts. */
export const defaultChannelLimit: Limit.Limit = Limit.perSecond(1, 3)

/** What a Slack client needs, each value given in code or read from configuration. */
export interface Options {
  /** `SLACK_BOT_TOKEN`: the bot token, `xoxb-...`. */
  readonly token?: Redacted.Redacted<string>
  /** `SLACK_BASE_URL`, `https://slack.com/api` by default. */
  readonly baseUrl?: string
  /**
   * Retries, timeout, concurrency (`SLACK_*`) and the limit of methods without a listed tier
   * (`SLACK_RATE_LIMIT`, Tier 2 by default).
   */
  readonly settings?: Partial<ServiceConfig.Defaults>
  /** Limits of the tiers (`SLACK_TIER1_RATE_LIMIT`, ..., `SLACK_TIER4_RATE_LIMIT`). */
  readonly tiers?: Partial<Record<Tier, Limit.Limit>>
  /** Messages per channel (`SLACK_CHANNEL_RATE_LIMIT`, `SLACK_CHANNEL_RATE_BURST`). */
  readonly channelLimit?: Limit.Limit
  /**
   * The limit of `conversations.history` (`SLACK_HISTORY_RATE_LIMIT`, ...): Tier 3's documented
   * minimum, 50 a minute, by default, whatever `SLACK_TIER3_*` says.
   *
   * **Note**: since 2025, new commercially distributed apps that are not in the Slack Marketplace
   * may read history once a minute, at most 15 messages a call. Such an app sets
   * `SLACK_HISTORY_RATE_LIMIT=1`, `SLACK_HISTORY_RATE_BURST=1` and
   * `SLACK_HISTORY_RATE_PERIOD_MS=60000`, and reads with `pageSize: 15`.
   */
  readonly historyLimit?: Limit.Limit
}

/** A Slack client's configuration, resolved. */
export interface Configuration {
  readonly token: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly settings: ServiceConfig.Settings
  readonly tiers: Readonly<Record<Tier, Limit.Limit>>
  readonly channelLimit: Limit.Limit
  readonly historyLimit: Limit.Limit
}

const tierLimit = (tier: Tier, options: Options) =>
  limit(`SLACK_${tier.toUpperCase()}`, defaultTiers[tier], options.tiers?.[tier])

/**
 * Reads a Slack client's configuration. The token and URL given in code are used as given;
 * limits, retries and timeouts follow `ServiceConfig.settings`, where configuration wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    token: given(options.token, Config.redacted("SLACK_BOT_TOKEN")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("SLACK_BASE_URL"), "https://slack.com/api")
    ),
    settings: ServiceConfig.settings("SLACK", { limit: defaultTiers.tier2 }, options.settings),
    tiers: Config.all({
      tier1: tierLimit("tier1", options),
      tier2: tierLimit("tier2", options),
      tier3: tierLimit("tier3", options),
      tier4: tierLimit("tier4", options)
    }),
    channelLimit: limit("SLACK_CHANNEL", defaultChannelLimit, options.channelLimit),
    historyLimit: limit("SLACK_HISTORY", defaultTiers.tier3, options.historyLimit)
  }).pipe(
    Config.map((resolved) => ({ ...resolved, baseUrl: resolved.baseUrl.replace(/\/+$/, "") }))
  )
