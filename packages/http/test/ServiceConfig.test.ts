import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Exit } from "effect"
import * as Limit from "../src/Limit"
import * as ServiceConfig from "../src/ServiceConfig"

const notionDefaults: ServiceConfig.Defaults = {
  limit: Limit.perSecond(3),
  retry: { maxAttempts: 3, baseDelay: "1 second" },
  timeout: "20 seconds"
}

const withEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const readNotion = (overrides: Partial<ServiceConfig.Defaults> = {}) =>
  ServiceConfig.settings("NOTION", notionDefaults, overrides)

describe("ServiceConfig.settings", () => {
  it.effect("falls back to the service's defaults, then to the shared ones", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion().pipe(withEnv({}))

      expect(settings.limit).toEqual(Limit.perSecond(3))
      expect(settings.retry.maxAttempts).toBe(3)
      expect(Duration.toMillis(Duration.decode(settings.retry.baseDelay))).toBe(1000)
      expect(Duration.toMillis(Duration.decode(settings.retry.maxDelay))).toBe(30_000)
      expect(Duration.toMillis(Duration.decode(settings.retry.maxElapsed))).toBe(120_000)
      expect(Duration.toMillis(settings.timeout)).toBe(20_000)
      expect(settings.concurrency).toBe(6)
    })
  )

  it.effect("reads the rate and burst from NOTION_RATE_LIMIT and NOTION_RATE_BURST", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion().pipe(
        withEnv({ NOTION_RATE_LIMIT: "25", NOTION_RATE_BURST: "5" })
      )

      expect(settings.limit.rate).toBe(25)
      expect(settings.limit.burst).toBe(5)
      expect(Duration.toMillis(settings.limit.per)).toBe(1000)
    })
  )

  it.effect("a configured rate without a burst keeps the default proportion of burst to rate", () =>
    Effect.gen(function* () {
      const settings = yield* ServiceConfig.settings("SLACK", {
        limit: Limit.perMinute(20, 4)
      }).pipe(withEnv({ SLACK_RATE_LIMIT: "50" }))

      expect(settings.limit).toMatchObject({ rate: 50, burst: 10 })
    })
  )

  it.effect("reads every other setting under the service's prefix", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion().pipe(
        withEnv({
          NOTION_RATE_PERIOD_MS: "60000",
          NOTION_TIMEOUT_MS: "5000",
          NOTION_MAX_ATTEMPTS: "7",
          NOTION_RETRY_BASE_MS: "200",
          NOTION_RETRY_MAX_MS: "8000",
          NOTION_RETRY_ELAPSED_MS: "45000",
          NOTION_CONCURRENCY: "2"
        })
      )

      expect(Duration.toMillis(settings.limit.per)).toBe(60_000)
      expect(Duration.toMillis(settings.timeout)).toBe(5000)
      expect(settings.retry.maxAttempts).toBe(7)
      expect(Duration.toMillis(Duration.decode(settings.retry.baseDelay))).toBe(200)
      expect(Duration.toMillis(Duration.decode(settings.retry.maxDelay))).toBe(8000)
      expect(Duration.toMillis(Duration.decode(settings.retry.maxElapsed))).toBe(45_000)
      expect(settings.concurrency).toBe(2)
    })
  )

  it.effect("options given in code override the defaults", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion({
        limit: Limit.perSecond(10, 10),
        timeout: "2 seconds",
        concurrency: 3
      }).pipe(withEnv({}))

      expect(settings.limit).toEqual(Limit.perSecond(10, 10))
      expect(Duration.toMillis(settings.timeout)).toBe(2000)
      expect(settings.concurrency).toBe(3)
    })
  )

  it.effect("a partial retry override keeps the service's other retry defaults", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion({ retry: { maxDelay: "5 seconds" } }).pipe(withEnv({}))

      expect(settings.retry.maxAttempts).toBe(3)
      expect(Duration.toMillis(Duration.decode(settings.retry.baseDelay))).toBe(1000)
      expect(Duration.toMillis(Duration.decode(settings.retry.maxDelay))).toBe(5000)
    })
  )

  it.effect("configuration wins over options given in code", () =>
    Effect.gen(function* () {
      const settings = yield* readNotion({ limit: Limit.perSecond(10, 10), concurrency: 3 }).pipe(
        withEnv({ NOTION_RATE_LIMIT: "25", NOTION_RATE_BURST: "5", NOTION_CONCURRENCY: "1" })
      )

      expect(settings.limit).toMatchObject({ rate: 25, burst: 5 })
      expect(settings.concurrency).toBe(1)
    })
  )

  it.effect("a malformed value fails instead of being ignored", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(readNotion().pipe(withEnv({ NOTION_RATE_LIMIT: "fast" })))

      expect(Exit.isFailure(exit)).toBe(true)
      expect(String(Exit.isFailure(exit) ? exit.cause : "")).toContain("NOTION_RATE_LIMIT")
    })
  )
})
