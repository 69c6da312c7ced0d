import { type Limit, ServiceConfig } from "@workway/http"
import { Config } from "effect"

/** A value given in code, or else the one read from configuration. */
export const given = <A>(value: A | undefined, fallback: Config.Config<A>): Config.Config<A> =>
  value === undefined ? fallback : Config.succeed(value)

/**
 * A limit beyond a service's main one (a Zoom category, a Slack tier), read like the main one:
 * `${prefix}_RATE_LIMIT`, `${prefix}_RATE_BURST` and `${prefix}_RATE_PERIOD_MS` override it.
 */
export const limit = (
  prefix: string,
  fallback: Limit.Limit,
  override?: Limit.Limit
): Config.Config<Limit.Limit> =>
  ServiceConfig.settings(
    prefix,
    { limit: fallback },
    override === undefined ? {} : { limit: override }
  ).pipe(Config.map((settings) => settings.limit))
