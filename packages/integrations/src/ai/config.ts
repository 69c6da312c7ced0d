import { Limit, ServiceConfig } from "@workway/http"
import { Config, type Redacted } from "effect"
import { given } from "../internal/config"

/** Requests a minute per API key, below the common tiers of OpenAI-compatible providers. */
export const defaultLimit: Limit.Limit = Limit.perMinute(500)

/** Completions take seconds: a longer timeout and retry window than other services. */
export const defaultSettings: ServiceConfig.Defaults = {
  limit: defaultLimit,
  timeout: "90 seconds",
  retry: { maxElapsed: "5 minutes" }
}

/** What an AI client needs, each value given in code or read from configuration. */
export interface Options {
  /** `AI_API_KEY` */
  readonly apiKey?: Redacted.Redacted<string>
  /** `AI_BASE_URL`: an OpenAI-compatible API, `https://api.openai.com/v1` by default. */
  readonly baseUrl?: string
  /** `AI_MODEL`, `gpt-4o-mini` by default. */
  readonly model?: string
  /** Limit, retries, timeout and concurrency (`AI_RATE_LIMIT`, ...). */
  readonly settings?: Partial<ServiceConfig.Defaults>
}

/** An AI client's configuration, resolved. */
export interface Configuration {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly model: string
  readonly settings: ServiceConfig.Settings
}

/**
 * Reads an AI client's configuration. The key, URL and model given in code are used as given;
 * limits, retries and timeouts follow `ServiceConfig.settings`, where configuration wins.
 */
export const config = (options: Options = {}): Config.Config<Configuration> =>
  Config.all({
    apiKey: given(options.apiKey, Config.redacted("AI_API_KEY")),
    baseUrl: given(
      options.baseUrl,
      Config.withDefault(Config.string("AI_BASE_URL"), "https://api.openai.com/v1")
    ),
    model: given(options.model, Config.withDefault(Config.string("AI_MODEL"), "gpt-4o-mini")),
    settings: ServiceConfig.settings("AI", defaultSettings, options.settings)
  }).pipe(
    Config.map((resolved) => ({ ...resolved, baseUrl: resolved.baseUrl.replace(/\/+$/, "") }))
  )

/** Workers AI's default limit for text generation: 300 requests a minute per account. */
export const defaultWorkersAiLimit: Limit.Limit = Limit.perMinute(300)

/** The model used through a Workers AI binding unless configured. */
export const defaultWorkersAiModel = "@cf/meta/llama-3.1-8b-instruct"

/** What the Workers AI path needs: its binding, each other value given in code or configured. */
export interface WorkersAiOptions<Binding> {
  /** The Workers AI binding, `env.AI`. */
  readonly binding: Binding
  /** `AI_WORKERS_MODEL`, `@cf/meta/llama-3.1-8b-instruct` by default. */
  readonly model?: string
  /** Limit (300 a minute), retries, timeout and concurrency (`AI_WORKERS_RATE_LIMIT`, ...). */
  readonly settings?: Partial<ServiceConfig.Defaults>
}

/** The Workers AI path's configuration, resolved. */
export interface WorkersAiConfiguration {
  readonly model: string
  readonly settings: ServiceConfig.Settings
}

/** Reads the Workers AI path's configuration; configuration wins over options given in code. */
export const workersAiConfig = <Binding>(
  options: WorkersAiOptions<Binding>
): Config.Config<WorkersAiConfiguration> =>
  Config.all({
    model: given(
      options.model,
      Config.withDefault(Config.string("AI_WORKERS_MODEL"), defaultWorkersAiModel)
    ),
    settings: ServiceConfig.settings(
      "AI_WORKERS",
      { ...defaultSettings, limit: defaultWorkersAiLimit },
      options.settings
    )
  })
