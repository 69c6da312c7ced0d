import { describe, expect, it } from "@effect/vitest"
import { Storage, Trigger, Workflow } from "@workway/core"
import { Limit, PersistentCache } from "@workway/http"
import { FakeServer, FakeSlack, Samples } from "@workway/testing"
import { Effect, Redacted, Schema, TestClock } from "effect"
import { Slack } from "../src"
import { credentials, serviceOf } from "./support/Fakes"

/** Runs an effect as the body of a workflow run, with the run's request cache and report. */
const inRun = <A, E, R>(run: Effect.Effect<A, E, R>) =>
  Workflow.execute(
    Workflow.make({
      name: "lookups",
      version: "1",
      trigger: Trigger.manual({ payload: Schema.Struct({}) }),
      inputs: Schema.Struct({}),
      run: () => run
    }),
    { trigger: {} }
  )

/** A workspace of 50 members. */
const members: ReadonlyArray<FakeSlack.SlackUser> = Array.from({ length: 50 }, (_, index) => {
  const n = String(index + 1).padStart(2, "0")
  return {
    id: `U0MEMBER${n}`,
    name: `member${n}`,
    real_name: `Member ${n}`,
    display_name: `Member ${n}`,
    email: `member${n}@example.com`,
    is_bot: false,
    tz: "Europe/London"
  }
})

/** Slack over the fake, with limits high enough that pacing never waits. */
const slackOver = (fake: FakeServer.Fake<FakeSlack.SlackState>) =>
  serviceOf(
    Slack.Slack,
    Slack.layer({
      ...credentials.slack,
      tiers: { tier3: Limit.perSecond(10_000, 10_000), tier4: Limit.perSecond(10_000, 10_000) }
    }),
    FakeServer.routesOf(fake)
  )

const infoCalls = (fake: FakeServer.Fake<FakeSlack.SlackState>) =>
  fake.stats.byRoute["GET /api/users.info"] ?? 0

/** 1,000 lookups of the 50 members, 20 at a time, as one run. */
const thousandLookups = (slack: Slack.SlackService) =>
  inRun(
    Effect.forEach(
      Array.from({ length: 1000 }, (_, index) => members[index % members.length]!.id),
      (id) => slack.users.info(id),
      { concurrency: 20 }
    )
  )

describe("Slack users across runs", () => {
  it.effect("1,000 lookups of 50 members cost 50 calls, then none in the next run", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make({ users: members })
      const slack = yield* slackOver(fake)

      const first = yield* thousandLookups(slack)
      expect(infoCalls(fake)).toBe(50)
      expect(first.success && first.result.length).toBe(1000)
      expect(first.report.integrations.slack).toMatchObject({
        calls: 50,
        cacheHits: 950,
        cacheMisses: 50
      })

      const second = yield* thousandLookups(slack)
      expect(infoCalls(fake)).toBe(50)
      expect(second.success && second.result.map((user) => user.id)).toEqual(
        first.success && first.result.map((user) => user.id)
      )
      expect(second.report.integrations.slack).toMatchObject({
        calls: 0,
        cacheHits: 1000,
        cacheMisses: 0
      })
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("after the namespace is invalidated, the next run calls Slack again", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make({ users: members })
      const slack = yield* slackOver(fake)
      yield* thousandLookups(slack)

      yield* PersistentCache.invalidate("slack", "users")
      const after = yield* thousandLookups(slack)

      expect(infoCalls(fake)).toBe(100)
      expect(after.report.integrations.slack).toMatchObject({ cacheHits: 950, cacheMisses: 50 })
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("cached members are reused for an hour, then fetched again", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make({ users: members })
      const slack = yield* slackOver(fake)
      yield* thousandLookups(slack)

      yield* TestClock.adjust("59 minutes")
      yield* thousandLookups(slack)
      expect(infoCalls(fake)).toBe(50)

      yield* TestClock.adjust("2 minutes")
      yield* thousandLookups(slack)
      expect(infoCalls(fake)).toBe(100)
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("lookups by email are cached across runs too, apart from lookups by id", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)
      const lookups = inRun(
        Effect.all([
          slack.users.lookupByEmail(Samples.host.email),
          slack.users.lookupByEmail(Samples.host.email.toUpperCase()),
          slack.users.info(Samples.host.slackUserId)
        ])
      )

      const first = yield* lookups
      const second = yield* lookups

      expect(fake.stats.byRoute["GET /api/users.lookupByEmail"]).toBe(1)
      expect(infoCalls(fake)).toBe(1)
      expect(first.report.integrations.slack).toMatchObject({ cacheHits: 1, cacheMisses: 2 })
      expect(second.report.integrations.slack).toMatchObject({ cacheHits: 3, cacheMisses: 0 })
      expect(second.success && second.result.map((user) => user.id)).toEqual([
        Samples.host.slackUserId,
        Samples.host.slackUserId,
        Samples.host.slackUserId
      ])
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("two workspaces never share cached members", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const other = FakeSlack.make({
        token: "xoxb-other",
        users: [{ ...Samples.slackUsers[0]!, real_name: "Ada of the other workspace" }]
      })
      const slack = yield* slackOver(fake)
      const otherSlack = yield* serviceOf(
        Slack.Slack,
        Slack.layer({
          token: Redacted.make("xoxb-other"),
          baseUrl: "https://other.slack.test/api"
        }),
        { "https://other.slack.test": other.handler }
      )

      yield* inRun(slack.users.info(Samples.host.slackUserId))
      const answer = yield* inRun(otherSlack.users.info(Samples.host.slackUserId))

      expect(answer.success && answer.result.realName).toBe("Ada of the other workspace")
      expect(other.stats.byRoute["GET /api/users.info"]).toBe(1)
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("a failed lookup is not cached across runs", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      yield* inRun(slack.users.info("U0NOBODY01"))
      const second = yield* inRun(slack.users.info("U0NOBODY01"))

      expect(second.success).toBe(false)
      expect(infoCalls(fake)).toBe(2)
    }).pipe(Effect.provide(Storage.layerMemory))
  )
})
