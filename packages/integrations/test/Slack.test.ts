import { describe, expect, it } from "@effect/vitest"
import { IntegrationError, Trigger, Workflow } from "@workway/core"
import { type FakeServer, FakeSlack, Samples } from "@workway/testing"
import { Effect, Redacted, Schema } from "effect"
import { Slack } from "../src"
import { credentials, recorded, rolls, type Seen, serviceOf } from "./support/Fakes"

const slackOver = (
  fake: FakeServer.Fake<FakeSlack.SlackState>,
  seen: Array<Seen> = [],
  options: Slack.Options = {}
) => serviceOf(Slack.Slack, Slack.layer({ ...credentials.slack, ...options }), recorded(fake, seen))

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

/** Runs an effect as the body of a workflow run, with the run's request cache. */
const inRun = <A, E>(run: Effect.Effect<A, E>) =>
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

const lookups = (fake: FakeServer.Fake<FakeSlack.SlackState>) =>
  fake.stats.byRoute["GET /api/users.lookupByEmail"] ?? 0

describe("Slack users", () => {
  it.effect("lookupByEmail sends the bot token and reads the member", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const seen: Array<Seen> = []
      const slack = yield* slackOver(fake, seen)

      const user = yield* slack.users.lookupByEmail(Samples.host.email)

      expect(user).toMatchObject({
        id: Samples.host.slackUserId,
        realName: Samples.host.name,
        profile: { email: Samples.host.email, displayName: "Ada" }
      })
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${Samples.credentials.slack.token}`)
      expect(seen[0]?.url).toBe(
        `https://slack.com/api/users.lookupByEmail?email=${encodeURIComponent(Samples.host.email)}`
      )
    })
  )

  it.effect("two identical lookups in one run cost one call", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      const execution = yield* inRun(
        Effect.gen(function* () {
          const first = yield* slack.users.lookupByEmail(Samples.host.email)
          const second = yield* slack.users.lookupByEmail(Samples.host.email.toUpperCase())
          return [first.id, second.id]
        })
      )

      expect(execution.success && execution.result).toEqual([
        Samples.host.slackUserId,
        Samples.host.slackUserId
      ])
      expect(lookups(fake)).toBe(1)
      expect(execution.report.integrations.slack).toMatchObject({
        calls: 1,
        cacheHits: 1,
        cacheMisses: 1
      })
    })
  )

  it.effect("identical lookups issued at once in one run cost one call", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      yield* inRun(
        Effect.all(
          [
            slack.users.info(Samples.host.slackUserId),
            slack.users.info(Samples.host.slackUserId),
            slack.users.info("U0GRACE002")
          ],
          { concurrency: "unbounded" }
        )
      )

      expect(fake.stats.byRoute["GET /api/users.info"]).toBe(2)
    })
  )

  it.effect("runs do not share answers, and outside a run every lookup is a call", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      yield* inRun(slack.users.lookupByEmail(Samples.host.email))
      yield* inRun(slack.users.lookupByEmail(Samples.host.email))
      yield* slack.users.lookupByEmail(Samples.host.email)
      yield* slack.users.lookupByEmail(Samples.host.email)

      expect(lookups(fake)).toBe(4)
    })
  )

  it.effect("two workspaces' lookups are not confused within a run", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const other = FakeSlack.make({
        token: "xoxb-other",
        users: [{ ...Samples.slackUsers[0]!, id: "U0OTHER001" }]
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

      const execution = yield* inRun(
        Effect.all([
          slack.users.lookupByEmail(Samples.host.email),
          otherSlack.users.lookupByEmail(Samples.host.email)
        ])
      )

      expect(execution.success && execution.result.map((user) => user.id)).toEqual([
        Samples.host.slackUserId,
        "U0OTHER001"
      ])
    })
  )

  it.effect("an unknown email fails as NotFound with Slack's code", () =>
    Effect.gen(function* () {
      const slack = yield* slackOver(FakeSlack.make())

      const error = failure(yield* Effect.flip(slack.users.lookupByEmail("nobody@example.com")))

      expect(error).toMatchObject({ reason: "NotFound", code: "users_not_found", status: 200 })
    })
  )

  it.effect("a wrong token fails as Unauthorized", () =>
    Effect.gen(function* () {
      const slack = yield* slackOver(FakeSlack.make(), [], { token: Redacted.make("xoxb-wrong") })

      const error = failure(yield* Effect.flip(slack.users.info(Samples.host.slackUserId)))

      expect(error).toMatchObject({ reason: "Unauthorized", code: "invalid_auth", attempts: 1 })
    })
  )
})

describe("chat.postMessage", () => {
  it.effect("posts a JSON body with charset and answers the message's channel and ts", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const seen: Array<Seen> = []
      const slack = yield* slackOver(fake, seen)
      const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Notes*" } }]

      const posted = yield* slack.chat.postMessage({ channel: "#product", text: "Notes", blocks })

      expect(posted.channel).toBe("C0PRODUCT1")
      expect(seen[0]?.headers["content-type"]).toBe("application/json; charset=utf-8")
      expect(JSON.parse(seen[0]?.body ?? "")).toEqual({
        channel: "#product",
        text: "Notes",
        blocks
      })
      expect(fake.state.messages.get("C0PRODUCT1")?.map((message) => message.ts)).toEqual([
        posted.ts
      ])
    })
  )

  it.effect("Slack's ok:false errors become typed failures carrying the code", () =>
    Effect.gen(function* () {
      const slack = yield* slackOver(FakeSlack.make())

      const missing = failure(
        yield* Effect.flip(slack.chat.postMessage({ channel: "#nowhere", text: "hi" }))
      )
      const archived = failure(
        yield* Effect.flip(slack.chat.postMessage({ channel: "C0LAUNCH25", text: "hi" }))
      )

      expect(missing).toMatchObject({ reason: "NotFound", code: "channel_not_found" })
      expect(archived).toMatchObject({ reason: "Permanent", code: "is_archived", attempts: 1 })
    })
  )

  it.effect("a post that meets a 503 is not retried: it may have been posted", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make({ faults: { serverError: 0.5 }, random: rolls(0, 0.99) })
      const slack = yield* slackOver(fake)

      const error = failure(
        yield* Effect.flip(slack.chat.postMessage({ channel: "#product", text: "hi" }))
      )

      expect(error).toMatchObject({ reason: "Transient", attempts: 1 })
      expect(fake.stats.requests).toBe(1)
    })
  )
})
