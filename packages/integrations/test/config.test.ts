import { describe, expect, it } from "@effect/vitest"
import type { Limit } from "@workway/http"
import { FakeAi, FakeNotion, FakeSlack, FakeZoom, Samples } from "@workway/testing"
import { ConfigProvider, Effect, Redacted } from "effect"
import { Ai, Notion, Slack, Zoom } from "../src"
import { credentials, recording, type Seen, serviceOf, spyLimiter } from "./support/Fakes"

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))

const parent = { page_id: Samples.notionParentPageId }

describe("configuration", () => {
  it.effect("Notion reads its token, base URL, version and limits from configuration", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const uses: Array<Limit.LimitUse> = []
      const notion = yield* serviceOf(
        Notion.Notion,
        Notion.layer(),
        { "https://notion.internal.test": recording(fake.handler, seen) },
        spyLimiter(uses)
      ).pipe(
        fromEnv({
          NOTION_TOKEN: Samples.credentials.notion.token,
          NOTION_BASE_URL: "https://notion.internal.test/v1/",
          NOTION_VERSION: "2026-03-11",
          NOTION_RATE_LIMIT: "10"
        })
      )

      yield* notion.pages.create({ parent, properties: {} })

      expect(seen[0]?.url).toBe("https://notion.internal.test/v1/pages")
      expect(seen[0]?.headers["notion-version"]).toBe("2026-03-11")
      expect(uses[0]?.limit).toMatchObject({ rate: 10 })
    })
  )

  it.effect("a missing token fails the layer with a ConfigError naming the variable", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(serviceOf(Slack.Slack, Slack.layer(), {}).pipe(fromEnv({})))

      expect(error._tag).toBe("ConfigError")
      expect(String(error)).toContain("SLACK_BOT_TOKEN")
    })
  )

  it.effect("tokens stay redacted once read", () =>
    Effect.gen(function* () {
      const configuration = yield* Ai.config().pipe(fromEnv({ AI_API_KEY: "sk-very-secret" }))

      expect(String(configuration.apiKey)).not.toContain("sk-very-secret")
      expect(JSON.stringify(configuration)).not.toContain("sk-very-secret")
      expect(Redacted.value(configuration.apiKey)).toBe("sk-very-secret")
      expect(configuration.model).toBe("gpt-4o-mini")
    })
  )
})

describe("rate-limit keys", () => {
  it.effect(
    "name the service and the credential without revealing it; tokens never share one",
    () =>
      Effect.gen(function* () {
        const uses: Array<Limit.LimitUse> = []
        const fake = FakeNotion.make()
        const routes = { "https://api.notion.com": fake.handler }
        const first = yield* serviceOf(
          Notion.Notion,
          Notion.layer(credentials.notion),
          routes,
          spyLimiter(uses)
        )
        const second = yield* serviceOf(
          Notion.Notion,
          Notion.layer({ token: Redacted.make("secret_another_workspace") }),
          routes,
          spyLimiter(uses)
        )

        yield* first.pages.create({ parent, properties: {} })
        yield* Effect.flip(second.pages.create({ parent, properties: {} }))

        const [a, b] = uses.map((use) => use.key)
        expect(a).toMatch(/^notion:[0-9a-f]{8}$/)
        expect(b).toMatch(/^notion:[0-9a-f]{8}$/)
        expect(a).not.toBe(b)
        expect(a).not.toContain(Samples.credentials.notion.token)
        expect(uses[0]?.limit).toEqual(Notion.defaultLimit)
      })
  )

  it.effect("Slack paces each method by its tier and each channel's messages on their own", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const fake = FakeSlack.make()
      const slack = yield* serviceOf(
        Slack.Slack,
        Slack.layer(credentials.slack),
        { "https://slack.com": fake.handler },
        spyLimiter(uses)
      )

      yield* slack.users.lookupByEmail(Samples.host.email)
      yield* slack.chat.postMessage({ channel: "C0PRODUCT1", text: "hi" })

      const keys = uses.map((use) => use.key.replace(/^slack:[0-9a-f]{8}:/, "slack:*:"))
      expect(keys).toEqual([
        "slack:*:users.lookupByEmail",
        "slack:*:chat.postMessage",
        "slack:*:channel:C0PRODUCT1"
      ])
      expect(uses.map((use) => use.limit)).toEqual([
        Slack.defaultTiers.tier3,
        Slack.defaultTiers.tier4,
        Slack.defaultChannelLimit
      ])
    })
  )

  it.effect("Zoom paces by category under the account id, the token grant apart", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const fake = FakeZoom.make()
      const zoom = yield* serviceOf(
        Zoom.Zoom,
        Zoom.layer({ ...credentials.zoom, mediumLimit: Zoom.defaultLimits.medium }),
        Object.fromEntries(fake.origins.map((origin) => [origin, fake.handler])),
        spyLimiter(uses)
      )

      yield* zoom.meetings.get(Samples.meeting.id)

      const account = Samples.credentials.zoom.accountId
      expect(uses.map((use) => use.key)).toEqual([`zoom:${account}:oauth`, `zoom:${account}:light`])
      expect(uses[1]?.limit).toEqual(Zoom.defaultLimits.light)
    })
  )

  it.effect("AI paces requests per API key", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const fake = FakeAi.make()
      const ai = yield* serviceOf(
        Ai.Ai,
        Ai.layer(credentials.ai),
        { "https://api.openai.com": fake.handler },
        spyLimiter(uses)
      )

      yield* ai.generateText({ prompt: "Hi." })

      expect(uses[0]?.key).toMatch(/^ai:[0-9a-f]{8}$/)
      expect(uses[0]?.limit).toEqual(Ai.defaultLimit)
    })
  )
})
