import { describe, expect, it } from "@effect/vitest"
import type { Limit } from "@workway/http"
import { type FakeServer, FakeZoom, Samples } from "@workway/testing"
import { Chunk, Effect, Stream } from "effect"
import { Zoom } from "../src"
import { credentials, recorded, type Seen, serviceOf, spyLimiter } from "./support/Fakes"

const zoomOver = (
  fake: FakeServer.Fake<FakeZoom.ZoomState>,
  seen: Array<Seen> = [],
  uses?: Array<Limit.LimitUse>
) =>
  serviceOf(
    Zoom.Zoom,
    Zoom.layer(credentials.zoom),
    recorded(fake, seen),
    uses === undefined ? undefined : spyLimiter(uses)
  )

const meetingLists = (fake: FakeServer.Fake<FakeZoom.ZoomState>) =>
  fake.stats.byRoute["GET /v2/users/:userId/meetings"] ?? 0

const participantLists = (fake: FakeServer.Fake<FakeZoom.ZoomState>) =>
  fake.stats.byRoute["GET /v2/past_meetings/:meetingUUID/participants"] ?? 0

/** The host's 12 meetings, newest first, as the fake lists them. */
const hostMeetings = [Samples.meeting, ...Samples.earlierMeetings]

describe("Zoom users.meetings", () => {
  it.effect("lists a host's meetings across pages, newest first", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      const meetings = yield* Stream.runCollect(
        zoom.users.meetings(Samples.host.zoomUserId, { pageSize: 5 })
      )

      expect(Chunk.toReadonlyArray(meetings).map((meeting) => meeting.uuid)).toEqual(
        hostMeetings.map((meeting) => meeting.uuid)
      )
      expect(Chunk.unsafeHead(meetings)).toMatchObject({
        id: Samples.meeting.id,
        topic: Samples.meeting.topic,
        startTime: Samples.meeting.start_time,
        hostId: Samples.host.zoomUserId
      })
      expect(meetingLists(fake)).toBe(3)
    })
  )

  it.effect("sends the list type and page size, and Zoom's token of the next page", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const seen: Array<Seen> = []
      const zoom = yield* zoomOver(fake, seen)

      yield* Stream.runDrain(zoom.users.meetings("me", { type: "previous_meetings", pageSize: 10 }))

      const lists = seen.filter((request) => request.url.includes("/meetings?"))
      const queries = lists.map((request) => new URL(request.url).searchParams)
      expect(queries.map((query) => query.get("type"))).toEqual([
        "previous_meetings",
        "previous_meetings"
      ])
      expect(queries.map((query) => query.get("page_size"))).toEqual(["10", "10"])
      expect(queries[0]?.has("next_page_token")).toBe(false)
      expect(queries[1]?.get("next_page_token")).not.toBe("")
      expect(new URL(lists[0]!.url).pathname).toBe("/v2/users/me/meetings")
    })
  )

  it.effect("a Stream.take stops fetching once it has enough meetings", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      const first = yield* zoom.users
        .meetings(Samples.host.zoomUserId, { pageSize: 3 })
        .pipe(Stream.take(4), Stream.runCollect)

      expect(first.length).toBe(4)
      expect(meetingLists(fake)).toBe(2)
    })
  )

  it.effect("resumes from the cursor of a page, without repeating or skipping a meeting", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)
      const [first] = yield* zoom.users
        .meetingPages(Samples.host.zoomUserId, { pageSize: 4 })
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))

      const rest = yield* Stream.runCollect(
        zoom.users.meetings(Samples.host.zoomUserId, {
          pageSize: 4,
          ...(first?.nextCursor === undefined ? {} : { startCursor: first.nextCursor })
        })
      )

      expect(first?.cursor).toBeUndefined()
      expect(first?.nextCursor).toEqual(expect.any(String))
      expect([...(first?.items ?? []), ...rest].map((meeting) => meeting.uuid)).toEqual(
        hostMeetings.map((meeting) => meeting.uuid)
      )
      expect(meetingLists(fake)).toBe(3)
    })
  )

  it.effect("a cursor older than 15 minutes is refused as Invalid: the list starts again", () =>
    Effect.gen(function* () {
      let now = Date.parse("2026-11-20T09:00:00Z")
      const fake = FakeZoom.make({ now: () => now })
      const zoom = yield* zoomOver(fake)
      const first = yield* zoom.users
        .meetingPages(Samples.host.zoomUserId, { pageSize: 4 })
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.unsafeHead))

      now += 16 * 60 * 1000
      const error = yield* Effect.flip(
        Stream.runDrain(
          zoom.users.meetings(Samples.host.zoomUserId, {
            pageSize: 4,
            startCursor: first.nextCursor!
          })
        )
      )

      expect(error).toMatchObject({ reason: "Invalid", code: "300", status: 400 })
    })
  )

  it.effect("is paced by the Medium category's limit, single reads by Light's", () =>
    Effect.gen(function* () {
      const uses: Array<Limit.LimitUse> = []
      const zoom = yield* zoomOver(FakeZoom.make(), [], uses)

      yield* Stream.runDrain(zoom.users.meetings(Samples.host.zoomUserId))
      yield* zoom.meetings.get(Samples.meeting.id)

      const keys = uses.map((use) => use.key.split(":").at(-1))
      expect(keys).toEqual(["oauth", "medium", "light"])
      expect(uses[1]?.limit).toEqual(Zoom.defaultLimits.medium)
    })
  )

  it.effect("an unknown user fails as NotFound with Zoom's code", () =>
    Effect.gen(function* () {
      const zoom = yield* zoomOver(FakeZoom.make())

      const error = yield* Effect.flip(Stream.runDrain(zoom.users.meetings("nobody@example.com")))

      expect(error).toMatchObject({ reason: "NotFound", code: "1001", status: 404 })
    })
  )
})

describe("Zoom pastMeetings.participants", () => {
  it.effect("lists who attended, page by page, by the instance UUID", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      const participants = yield* Stream.runCollect(
        zoom.pastMeetings.participants(Samples.meeting.uuid, { pageSize: 2 })
      )

      expect(Chunk.toReadonlyArray(participants).map((p) => p.email)).toEqual(
        Samples.meeting.participants.map((p) => p.user_email)
      )
      expect(Chunk.unsafeHead(participants)).toMatchObject({
        name: Samples.meeting.participants[0]?.name,
        joinTime: Samples.meeting.participants[0]?.join_time,
        duration: Samples.meeting.participants[0]?.duration
      })
      expect(participantLists(fake)).toBe(Math.ceil(Samples.meeting.participants.length / 2))
    })
  )

  it.effect("a UUID that starts with / or holds // is encoded twice in the path", () =>
    Effect.gen(function* () {
      const [slashFirst, doubleSlash] = Samples.earlierMeetings
      const fake = FakeZoom.make()
      const seen: Array<Seen> = []
      const zoom = yield* zoomOver(fake, seen)

      const first = yield* Stream.runCollect(zoom.pastMeetings.participants(slashFirst!.uuid))
      const second = yield* Stream.runCollect(zoom.pastMeetings.participants(doubleSlash!.uuid))

      expect(first.length).toBe(slashFirst!.participants.length)
      expect(second.length).toBe(doubleSlash!.participants.length)
      const paths = seen
        .filter((request) => request.url.includes("/past_meetings/"))
        .map((request) => new URL(request.url).pathname)
      expect(paths).toEqual([
        `/v2/past_meetings/${encodeURIComponent(encodeURIComponent(slashFirst!.uuid))}/participants`,
        `/v2/past_meetings/${encodeURIComponent(encodeURIComponent(doubleSlash!.uuid))}/participants`
      ])
    })
  )

  it.effect("a Stream.take stops fetching participants once it has enough", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      yield* zoom.pastMeetings
        .participants(Samples.meeting.uuid, { pageSize: 1 })
        .pipe(Stream.take(2), Stream.runDrain)

      expect(Samples.meeting.participants.length).toBeGreaterThanOrEqual(3)
      expect(participantLists(fake)).toBe(2)
    })
  )

  it.effect("resumes participants from a page's cursor", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)
      const pages = yield* zoom.pastMeetings
        .participantPages(Samples.meeting.uuid, { pageSize: 1 })
        .pipe(Stream.take(2), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      const cursor = pages[1]?.nextCursor

      const rest = yield* Stream.runCollect(
        zoom.pastMeetings.participants(Samples.meeting.uuid, {
          pageSize: 1,
          ...(cursor === undefined ? {} : { startCursor: cursor })
        })
      )

      expect(pages[1]?.cursor).toBe(pages[0]?.nextCursor)
      expect([...pages.flatMap((page) => page.items), ...rest].map((p) => p.email)).toEqual(
        Samples.meeting.participants.map((p) => p.user_email)
      )
    })
  )
})
