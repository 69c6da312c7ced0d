import { describe, expect, it } from "@effect/vitest"
import type { Limit } from "@workway/http"
import { type FakeServer, FakeSlack, Samples } from "@workway/testing"
import { Chunk, Effect, Stream } from "effect"
import { Slack } from "../src"
import { credentials, recorded, type Seen, serviceOf, spyLimiter } from "./support/Fakes"

const slackOver = (
  fake: FakeServer.Fake<FakeSlack.SlackState>,
  seen: Array<Seen> = [],
  options: Slack.Options = {},
  uses?: Array<Limit.LimitUse>
) =>
  serviceOf(
    Slack.Slack,
    Slack.layer({ ...credentials.slack, ...options }),
    recorded(fake, seen),
    uses === undefined ? undefined : spyLimiter(uses)
  )

const listCalls = (fake: FakeServer.Fake<FakeSlack.SlackState>) =>
  fake.stats.byRoute["GET /api/conversations.list"] ?? 0

const historyCalls = (fake: FakeServer.Fake<FakeSlack.SlackState>) =>
  fake.stats.byRoute["GET /api/conversations.history"] ?? 0

/** Seven messages in #product, oldest first, one a minute. */
const withHistory = () => {
  const fake = FakeSlack.make()
  const messages: Array<FakeSlack.SlackMessage> = Array.from({ length: 7 }, (_, index) => ({
    type: "message",
    ts: `${1_763_000_000 + index * 60}.000100`,
    user: Samples.host.slackUserId,
    bot_id: "",
    text: `update ${index + 1}`,
    team: Samples.slackTeamId
  }))
  fake.state.messages.set("C0PRODUCT1", messages)
  return fake
}

describe("Slack conversations.list", () => {
  it.effect("lists every public channel across pages that come back short", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      const pages = yield* Stream.runCollect(
        slack.conversations.listPages({ pageSize: 2, excludeArchived: true })
      ).pipe(Effect.map(Chunk.toReadonlyArray))

      expect(pages.map((page) => page.items.map((channel) => channel.name))).toEqual([
        ["general"],
        ["product"],
        ["meeting-notes", "random"]
      ])
      expect(pages.map((page) => page.nextCursor === undefined)).toEqual([false, false, true])
      expect(pages[1]?.cursor).toBe(pages[0]?.nextCursor)
    })
  )

  it.effect("sends limit, types and the cursor of the next page", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const seen: Array<Seen> = []
      const slack = yield* slackOver(fake, seen)

      const channels = yield* Stream.runCollect(
        slack.conversations.list({ pageSize: 4, types: ["public_channel", "private_channel"] })
      )

      const queries = seen.map((request) => new URL(request.url).searchParams)
      expect(queries.map((query) => query.get("limit"))).toEqual(["4", "4"])
      expect(queries[0]?.get("types")).toBe("public_channel,private_channel")
      expect(queries[0]?.has("cursor")).toBe(false)
      expect(queries[1]?.get("cursor")).not.toBe("")
      expect(Chunk.toReadonlyArray(channels).map((channel) => channel.id)).toEqual(
        Samples.slackChannels.map((channel) => channel.id)
      )
      expect(Chunk.toReadonlyArray(channels).find((c) => c.id === "G0LEADERS1")).toMatchObject({
        isPrivate: true,
        isArchived: false
      })
    })
  )

  it.effect("a Stream.take stops fetching once it has enough channels", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)

      const two = yield* slack.conversations
        .list({ pageSize: 2, excludeArchived: true })
        .pipe(Stream.take(2), Stream.runCollect)

      expect(Chunk.toReadonlyArray(two).map((channel) => channel.name)).toEqual([
        "general",
        "product"
      ])
      expect(listCalls(fake)).toBe(2)
    })
  )

  it.effect("resumes from a page's cursor", () =>
    Effect.gen(function* () {
      const fake = FakeSlack.make()
      const slack = yield* slackOver(fake)
      const first = yield* slack.conversations
        .listPages({ pageSize: 2 })
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.unsafeHead))

      const rest = yield* Stream.runCollect(
        slack.conversations.list({ pageSize: 2, startCursor: first.nextCursor! })
      )

      expect(Chunk.toReadonlyArray(rest).map((channel) => channel.name)).toEqual([
        "product",
        "meeting-notes",
        "random"
      ])
      expect(listCalls(fake)).toBe(3)
    })
  )

  it.effect("is paced by Tier 2 under its own key", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const slack = yield* slackOver(FakeSlack.make(), [], {}, uses)

      yield* Stream.runDrain(slack.conversations.list())

      expect(uses.map((use) => use.key.split(":").at(-1))).toEqual(["conversations.list"])
      expect(uses[0]?.limit).toEqual(Slack.defaultTiers.tier2)
    })
  )
})

describe("Slack conversations.history", () => {
  it.effect("reads a channel's messages newest first, across pages", () =>
    Effect.gen(function* () {
      const fake = withHistory()
      const slack = yield* slackOver(fake)

      const messages = yield* Stream.runCollect(
        slack.conversations.history("C0PRODUCT1", { pageSize: 3 })
      )

      expect(Chunk.toReadonlyArray(messages).map((message) => message.text)).toEqual([
        "update 7",
        "update 6",
        "update 5",
        "update 4",
        "update 3",
        "update 2",
        "update 1"
      ])
      expect(Chunk.unsafeHead(messages)).toMatchObject({ user: Samples.host.slackUserId })
      expect(historyCalls(fake)).toBe(3)
    })
  )

  it.effect("a Stream.take reads only the pages it needs", () =>
    Effect.gen(function* () {
      const fake = withHistory()
      const slack = yield* slackOver(fake)

      yield* slack.conversations
        .history("C0PRODUCT1", { pageSize: 3 })
        .pipe(Stream.take(3), Stream.runDrain)

      expect(historyCalls(fake)).toBe(1)
    })
  )

  it.effect("resumes from a page's cursor within a time window", () =>
    Effect.gen(function* () {
      const fake = withHistory()
      const seen: Array<Seen> = []
      const slack = yield* slackOver(fake, seen)
      const window = { oldest: "1763000060.000100", pageSize: 2 }
      const first = yield* slack.conversations
        .historyPages("C0PRODUCT1", window)
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.unsafeHead))

      const rest = yield* Stream.runCollect(
        slack.conversations.history("C0PRODUCT1", { ...window, startCursor: first.nextCursor! })
      )

      expect([...first.items, ...rest].map((message) => message.text)).toEqual([
        "update 7",
        "update 6",
        "update 5",
        "update 4",
        "update 3"
      ])
      expect(new URL(seen[0]!.url).searchParams.get("oldest")).toBe("1763000060.000100")
    })
  )

  it.effect("is paced by Tier 3 by default, or by the history limit when configured", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const standard = yield* slackOver(withHistory(), [], {}, uses)
      const restricted = yield* slackOver(
        withHistory(),
        [],
        { historyLimit: { ...Slack.defaultTiers.tier1, burst: 5 } },
        uses
      )

      yield* Stream.runDrain(standard.conversations.history("C0PRODUCT1"))
      yield* Stream.runDrain(restricted.conversations.history("C0PRODUCT1", { pageSize: 15 }))

      expect(uses.map((use) => use.key.split(":").at(-1))).toEqual([
        "conversations.history",
        "conversations.history"
      ])
      expect(uses[0]?.limit).toEqual(Slack.defaultTiers.tier3)
      expect(uses[1]?.limit).toEqual({ ...Slack.defaultTiers.tier1, burst: 5 })
    })
  )

  it.effect("an unknown channel fails as NotFound with Slack's code", () =>
    Effect.gen(function* () {
      const slack = yield* slackOver(FakeSlack.make())

      const error = yield* Effect.flip(Stream.runDrain(slack.conversations.history("C0NOWHERE")))

      expect(error).toMatchObject({ reason: "NotFound", code: "channel_not_found" })
    })
  )
})
