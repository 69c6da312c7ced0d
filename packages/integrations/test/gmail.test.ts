import { describe, expect, it, layer } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { Limit, type RateLimiter } from "@workway/http"
import { FakeServer } from "@workway/testing"
import * as FakeGmail from "@workway/testing/FakeGmail"
import {
  Chunk,
  Context,
  Effect,
  Either,
  Encoding,
  Fiber,
  Layer,
  Option,
  Redacted,
  Stream,
  TestClock
} from "effect"
import * as Gmail from "../src/gmail"
import { collectAtMost, TooManyItems } from "../src/internal/collect"
import { infrastructure, spyLimiter } from "./support/Fakes"

const credentials = { accessToken: Redacted.make<string>(FakeGmail.credentials.accessToken) }

const listRoute = "GET /gmail/v1/users/:userId/messages"
const getRoute = "GET /gmail/v1/users/:userId/messages/:id"
const batchRoute = "POST /batch/gmail/v1"

/** A fake mailbox and a Gmail client over it, in process. */
const start = (
  fakeOptions: FakeGmail.Options = {},
  options: Gmail.Options = {},
  limiter?: Layer.Layer<RateLimiter.RateLimiter>
) =>
  Effect.gen(function* () {
    const fake = FakeGmail.make(fakeOptions)
    const gmail = yield* Effect.provide(
      Gmail.Gmail,
      Gmail.layer({ ...credentials, ...options }).pipe(
        Layer.provide(infrastructure(FakeServer.routesOf(fake), limiter))
      )
    )
    return { fake, gmail }
  })

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

/**
 * Runs an effect whose waits are on the TestClock while the fake's quota refills on a clock of
 * its own: each time the effect sleeps, both clocks move to its earliest wake-up.
 */
const withClocks = <A, E>(
  effect: Effect.Effect<A, E>,
  fakeClock: { advance: (ms: number) => void }
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    for (let turn = 0; turn < 10_000; turn++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 0)))
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      const now = yield* TestClock.currentTimeMillis
      const wakes = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((at) => at > now)
      if (wakes.length === 0) continue
      // Whole milliseconds: jittered delays make times fractional, and a step of a rounding
      // error would never reach them.
      const step = Math.max(1, Math.ceil(Math.min(...wakes) - now))
      fakeClock.advance(step)
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

const manualClock = (start = Date.parse("2026-11-12T16:31:00Z")) => {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    }
  }
}

describe("Gmail messages.list", () => {
  it.effect("pages through the whole listing, each page exposing its cursors", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start({ messages: FakeGmail.sampleMessages(230) })

      const pages = yield* Stream.runCollect(gmail.messages.pages({ maxResults: 50 }))

      const all = Chunk.toReadonlyArray(pages)
      expect(all.map((page) => page.messages.length)).toEqual([50, 50, 50, 50, 30])
      expect(all[0]?.pageToken).toBeUndefined()
      for (let index = 1; index < all.length; index++) {
        expect(all[index]?.pageToken).toBe(all[index - 1]?.nextPageToken)
      }
      expect(all[4]?.nextPageToken).toBeUndefined()
      expect(all[0]?.resultSizeEstimate).toBe(230)
      expect(new Set(all.flatMap((page) => page.messages.map((m) => m.id))).size).toBe(230)
      expect(fake.stats.byRoute[listRoute]).toBe(5)
    })
  )

  it.effect("a Stream.take stops fetching once it has enough messages", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start({ messages: FakeGmail.sampleMessages(500) })

      const taken = yield* gmail.messages
        .list({ maxResults: 40 })
        .pipe(Stream.take(90), Stream.runCollect)

      expect(taken.length).toBe(90)
      expect(fake.stats.byRoute[listRoute]).toBe(3)
    })
  )

  it.effect("a listing resumes at a page token a page exposed", () =>
    Effect.gen(function* () {
      const { gmail } = yield* start({ messages: FakeGmail.sampleMessages(120) })
      const [first] = yield* gmail.messages
        .pages({ maxResults: 50 })
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))

      const rest = yield* Stream.runCollect(
        gmail.messages.list({ maxResults: 50, pageToken: first!.nextPageToken! })
      )

      expect(rest.length).toBe(70)
      expect(Chunk.toReadonlyArray(rest).map((m) => m.id)).not.toContain(first!.messages[0]!.id)
    })
  )

  it.effect("collecting more than a cap fails with TooManyItems after one page past it", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start({ messages: FakeGmail.sampleMessages(300) })

      const error = yield* Effect.flip(
        collectAtMost(gmail.messages.list({ maxResults: 50 }), 75, "messages")
      )
      const pagesFetched = fake.stats.byRoute[listRoute]
      const under = yield* collectAtMost(gmail.messages.list({ q: "subject:invoice" }), 100)

      expect(error).toBeInstanceOf(TooManyItems)
      expect(error.message).toContain("More than 75 messages")
      expect(pagesFetched).toBe(2)
      expect(under.length).toBe(75)
    })
  )
})

/** A client over a shared, read-only mailbox. */
class Mailbox extends Context.Tag("test/Mailbox")<
  Mailbox,
  { readonly fake: FakeServer.Fake<FakeGmail.GmailState>; readonly gmail: Gmail.GmailService }
>() {}

const mailbox = Layer.effect(Mailbox, start({ messages: FakeGmail.sampleMessages(60) }))

layer(mailbox)("Gmail reads of one mailbox", (it) => {
  it.effect("a search by sender and subject, and by labels that must all apply", () =>
    Effect.gen(function* () {
      const { gmail, fake } = yield* Mailbox
      const byGrace = yield* Stream.runCollect(
        gmail.messages.list({ q: "from:grace subject:invoice" })
      )
      const unreadCustomers = yield* Stream.runCollect(
        gmail.messages.list({ labelIds: ["UNREAD", "Label_1"] })
      )

      const all = [...fake.state.messages.values()]
      const expected = all.filter((m) => m.from.includes("grace") && m.subject.includes("Invoice"))
      expect(byGrace.length).toBe(expected.length)
      expect(byGrace.length).toBeGreaterThan(0)
      const both = all.filter(
        (m) => m.labelIds.includes("UNREAD") && m.labelIds.includes("Label_1")
      )
      expect(
        Chunk.toReadonlyArray(unreadCustomers)
          .map((m) => m.id)
          .sort()
      ).toEqual(both.map((m) => m.id).sort())
    })
  )

  it.effect("get answers each format with the fields Gmail puts in it", () =>
    Effect.gen(function* () {
      const { gmail, fake } = yield* Mailbox
      const stored = [...fake.state.messages.values()][0]!

      const full = yield* gmail.messages.get(stored.id)
      const minimal = yield* gmail.messages.get(stored.id, { format: "minimal" })
      const metadata = yield* gmail.messages.get(stored.id, {
        format: "metadata",
        metadataHeaders: ["Subject"]
      })
      const raw = yield* gmail.messages.get(stored.id, { format: "raw" })

      expect(Gmail.header(full, "subject")).toBe(stored.subject)
      expect(full.payload?.body?.data).toBeDefined()
      expect(full.internalDate).toBe(stored.internalDate)
      expect(minimal.payload).toBeUndefined()
      expect(minimal.labelIds).toEqual(stored.labelIds)
      expect(metadata.payload?.headers).toEqual([{ name: "Subject", value: stored.subject }])
      expect(atob(raw.raw!.replace(/-/g, "+").replace(/_/g, "/"))).toContain(
        `Subject: ${stored.subject}`
      )
    })
  )

  it.effect("an unknown message fails as NotFound", () =>
    Effect.gen(function* () {
      const { gmail } = yield* Mailbox

      const error = failure(yield* Effect.flip(gmail.messages.get("18c0000000000bad")))

      expect(error).toMatchObject({ reason: "NotFound", status: 404, code: "notFound" })
    })
  )

  it.effect("labels.list answers system and user labels", () =>
    Effect.gen(function* () {
      const { gmail } = yield* Mailbox

      const labels = yield* gmail.labels.list()

      expect(labels.map((label) => label.id)).toContain("INBOX")
      expect(labels.find((label) => label.type === "user")).toMatchObject({
        id: "Label_1",
        name: "Customers"
      })
    })
  )
})

describe("Gmail messages.get in batches", () => {
  it.effect("120 gets issued together cost 3 batch requests and 600 quota units", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const { fake, gmail } = yield* start(
        { messages: FakeGmail.sampleMessages(150) },
        {},
        spyLimiter(uses)
      )
      const ids = [...fake.state.messages.keys()].slice(0, 120)

      const messages = yield* gmail.messages.getMany(ids)

      expect(messages.map((message) => message.id)).toEqual(ids)
      expect(fake.stats.byRoute[batchRoute]).toBe(3)
      expect(fake.stats.byRoute[getRoute]).toBeUndefined()
      expect(fake.state.batchedCalls).toBe(120)
      expect(uses.map((use) => use.cost).sort()).toEqual([100, 250, 250])
      expect(fake.state.unitsSpent).toBe(600)
    })
  )

  it.effect(
    "gets issued together share batches whatever issues them; a lone get is a plain GET",
    () =>
      Effect.gen(function* () {
        const { fake, gmail } = yield* start({}, { batchSize: 10 })
        const ids = [...fake.state.messages.keys()]

        yield* Effect.all(
          ids.slice(0, 25).map((id) => gmail.messages.get(id, { format: "minimal" })),
          { batching: true, concurrency: "unbounded" }
        )
        yield* gmail.messages.get(ids[0]!)

        expect(fake.stats.byRoute[batchRoute]).toBe(3)
        expect(fake.stats.byRoute[getRoute]).toBe(1)
      })
  )

  it.effect("a missing message fails its own get; the others of the batch succeed", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start()
      const ids = [...fake.state.messages.keys()].slice(0, 3)

      const outcomes = yield* Effect.forEach(
        [ids[0]!, "18c00000000dead0", ids[1]!, ids[2]!],
        (id) => Effect.either(gmail.messages.get(id)),
        { batching: true }
      )

      expect(outcomes.map(Either.isRight)).toEqual([true, false, true, true])
      const missing = outcomes[1]!
      expect(Either.isLeft(missing) && missing.left).toMatchObject({ reason: "NotFound" })
      expect(fake.stats.byRoute[batchRoute]).toBe(1)
    })
  )

  it.effect("a get the batch answers with a quota throttle is fetched again on its own", () =>
    Effect.gen(function* () {
      const clock = manualClock()
      const { fake, gmail } = yield* start({
        now: clock.now,
        quota: { unitsPerMinute: 600, burst: 100 }
      })
      const ids = [...fake.state.messages.keys()].slice(0, 25)

      const messages = yield* withClocks(gmail.messages.getMany(ids), clock)

      expect(messages.map((message) => message.id)).toEqual(ids)
      expect(fake.stats.byRoute[batchRoute]).toBe(1)
      expect(fake.stats.byRoute[getRoute]).toBeGreaterThanOrEqual(5)
      expect(fake.stats.throttled).toBeGreaterThanOrEqual(5)
    })
  )
})

describe("Gmail quota", () => {
  it.effect("each call is charged its quota units on the user's key", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const { fake, gmail } = yield* start({}, {}, spyLimiter(uses))
      const id = [...fake.state.messages.keys()][0]!

      yield* gmail.labels.list()
      yield* gmail.messages.list().pipe(Stream.take(1), Stream.runDrain)
      yield* gmail.messages.get(id)
      yield* gmail.history.pages({ startHistoryId: "100000" }).pipe(Stream.runDrain)
      yield* gmail.messages.send({ to: "grace@example.com", subject: "Hi", text: "Hello" })

      expect(uses.map((use) => use.cost)).toEqual([1, 5, 5, 2, 100])
      expect(new Set(uses.map((use) => use.key)).size).toBe(1)
      expect(uses[0]?.key).toMatch(/^gmail:[0-9a-f]{8}:me$/)
    })
  )

  it.effect(
    "the limiter is weighted: a label list fits what a send left, a second send waits",
    () =>
      Effect.gen(function* () {
        const { gmail } = yield* start({}, { settings: { limit: Limit.perMinute(600, 150) } })
        const message = { to: "grace@example.com", subject: "Quota", text: "Weighted" }
        const startedAt = yield* TestClock.currentTimeMillis

        yield* gmail.messages.send(message)
        yield* gmail.labels.list()
        const passedAt = yield* TestClock.currentTimeMillis
        const second = yield* Effect.fork(gmail.messages.send(message))
        yield* TestClock.adjust("4 seconds")
        const early = yield* Fiber.poll(second)
        yield* TestClock.adjust("2 seconds")
        yield* Fiber.join(second)

        expect(passedAt).toBe(startedAt)
        expect(Option.isNone(early)).toBe(true)
      })
  )

  it.effect("a 403 userRateLimitExceeded is a throttle: the call backs off and succeeds", () =>
    Effect.gen(function* () {
      const clock = manualClock()
      const { fake, gmail } = yield* start({
        now: clock.now,
        quota: { unitsPerMinute: 60, burst: 3 }
      })

      const labels = yield* withClocks(
        Effect.forEach([1, 2, 3, 4, 5], () => gmail.labels.list()),
        clock
      )

      expect(labels).toHaveLength(5)
      expect(fake.stats.throttled).toBeGreaterThan(0)
    })
  )

  it.effect("429 answers are throttles too", () =>
    Effect.gen(function* () {
      const clock = manualClock()
      const { fake, gmail } = yield* start({
        now: clock.now,
        quotaStatus: 429,
        quota: { unitsPerMinute: 60, burst: 2 }
      })

      yield* withClocks(
        Effect.forEach([1, 2, 3], () => gmail.labels.list()),
        clock
      )

      expect(fake.stats.throttled).toBeGreaterThan(0)
    })
  )
})

describe("Gmail classify", () => {
  const answer = (status: number, reason: string) => ({
    status,
    headers: {},
    body: JSON.stringify({
      error: { code: status, message: "m", errors: [{ domain: "usageLimits", reason }] }
    })
  })

  it("reads throttles, a spent daily quota and refusals from the error's reason", () => {
    expect(Gmail.classify(answer(403, "userRateLimitExceeded"))._tag).toBe("Throttled")
    expect(Gmail.classify(answer(403, "rateLimitExceeded"))._tag).toBe("Throttled")
    expect(Gmail.classify(answer(429, "rateLimitExceeded"))._tag).toBe("Throttled")
    expect(Gmail.classify(answer(403, "dailyLimitExceeded"))).toMatchObject({
      _tag: "Failed",
      reason: "RateLimited"
    })
    expect(Gmail.classify(answer(403, "insufficientPermissions"))).toMatchObject({
      _tag: "Failed",
      reason: "Unauthorized",
      code: "insufficientPermissions"
    })
    expect(Gmail.classify(answer(503, "backendError"))._tag).toBe("Transient")
  })
})

describe("Gmail send and history", () => {
  it.effect("a sent message is stored as RFC 822 and shows in the history after its start", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start({ messages: FakeGmail.sampleMessages(3) })
      const startHistoryId = String(fake.state.historyId)

      const sent = yield* gmail.messages.send({
        to: ["grace@example.com", "alan@example.com"],
        subject: "Launch on December 3rd — confirmed",
        text: "Hello both,\nthe launch stays.",
        from: "Ada Lovelace <ada@example.com>"
      })
      const pages = yield* Stream.runCollect(gmail.history.pages({ startHistoryId }))
      const records = yield* Stream.runCollect(gmail.history.list({ startHistoryId }))

      const stored = fake.state.messages.get(sent.id)
      expect(stored).toMatchObject({
        to: "grace@example.com, alan@example.com",
        from: "Ada Lovelace <ada@example.com>",
        labelIds: ["SENT"]
      })
      expect(stored?.text).toBe("Hello both,\nthe launch stays.")
      expect(stored?.subject).toMatch(/^=\?UTF-8\?B\?/)
      const history = Chunk.toReadonlyArray(pages).flatMap((page) => page.history)
      expect(
        history.flatMap((record) => record.messagesAdded.map((added) => added.message.id))
      ).toEqual([sent.id])
      expect(Chunk.toReadonlyArray(pages)[0]?.historyId).toBe(String(fake.state.historyId))
      expect(Chunk.toReadonlyArray(records).map((record) => record.messages[0]?.id)).toEqual([
        sent.id
      ])
    })
  )

  it.effect("a send refused by Gmail fails as Invalid and is not repeated", () =>
    Effect.gen(function* () {
      const { fake, gmail } = yield* start()

      const error = failure(
        yield* Effect.flip(
          gmail.messages.send({ raw: Encoding.encodeBase64Url("Subject: none\r\n\r\nx") })
        )
      )

      expect(error).toMatchObject({ reason: "Invalid", status: 400, attempts: 1 })
      expect(fake.state.sent).toBe(0)
    })
  )
})
