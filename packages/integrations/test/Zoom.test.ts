import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { Invocation } from "@workway/http"
import { FakeServer, FakeZoom, Samples } from "@workway/testing"
import { Effect, TestClock } from "effect"
import { Zoom } from "../src"
import { credentials, recorded, type Seen, serviceOf } from "./support/Fakes"

const zoomOver = (
  fake: FakeServer.Fake<FakeZoom.ZoomState>,
  seen: Array<Seen> = [],
  options: Zoom.Options = {}
) => serviceOf(Zoom.Zoom, Zoom.layer({ ...credentials.zoom, ...options }), recorded(fake, seen))

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

describe("Zoom OAuth", () => {
  it.effect("fetches a token with the app's Basic credentials and calls the API with it", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const seen: Array<Seen> = []
      const zoom = yield* zoomOver(fake, seen)

      const meeting = yield* zoom.meetings.get(Samples.meeting.id)

      expect(meeting).toMatchObject({
        id: Samples.meeting.id,
        uuid: Samples.meeting.uuid,
        topic: Samples.meeting.topic,
        hostId: Samples.host.zoomUserId,
        startTime: Samples.meeting.start_time
      })
      const [grant, call] = seen
      const basic = btoa(`${credentials.zoom.clientId}:${Samples.credentials.zoom.clientSecret}`)
      expect(grant?.method).toBe("POST")
      expect(grant?.url).toBe(
        `https://zoom.us/oauth/token?grant_type=account_credentials&account_id=${credentials.zoom.accountId}`
      )
      expect(grant?.headers.authorization).toBe(`Basic ${basic}`)
      expect(call?.url).toBe(`https://api.zoom.us/v2/meetings/${Samples.meeting.id}`)
      expect(call?.headers.authorization).toMatch(/^Bearer eyJ/)
    })
  )

  it.effect("many concurrent calls share one token grant", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      yield* Effect.all(
        Array.from({ length: 12 }, () => zoom.meetings.get(Samples.meeting.id)),
        { concurrency: "unbounded" }
      )

      expect(fake.state.tokenGrants).toBe(1)
      expect(fake.stats.byRoute["GET /v2/meetings/:meetingId"]).toBe(12)
    })
  )

  it.effect("the token is reused until 60 s before it expires, then fetched again", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make({ tokenTtlSeconds: 3600 })
      const zoom = yield* zoomOver(fake)

      yield* zoom.meetings.get(Samples.meeting.id)
      yield* TestClock.adjust("3500 seconds")
      yield* zoom.meetings.get(Samples.meeting.id)
      expect(fake.state.tokenGrants).toBe(1)

      yield* TestClock.adjust("40 seconds")
      yield* zoom.meetings.get(Samples.meeting.id)
      expect(fake.state.tokenGrants).toBe(2)
    })
  )

  it.effect("a 401 on an API call replaces the token once and repeats the call", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)
      yield* zoom.meetings.get(Samples.meeting.id)

      fake.state.tokens.clear()
      const meeting = yield* zoom.meetings.get(Samples.meeting.id)

      expect(meeting.id).toBe(Samples.meeting.id)
      expect(fake.state.tokenGrants).toBe(2)
      expect(fake.stats.byRoute["GET /v2/meetings/:meetingId"]).toBe(3)
    })
  )

  it.effect("a token refused again after its replacement fails as Unauthorized", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      let apiCalls = 0
      const refusing: FakeServer.Handler = async () => {
        apiCalls++
        return FakeServer.json({ code: 124, message: "Invalid access token." }, { status: 401 })
      }
      const zoom = yield* serviceOf(Zoom.Zoom, Zoom.layer(credentials.zoom), {
        "https://zoom.us": fake.handler,
        "https://api.zoom.us": refusing
      })

      const error = failure(yield* Effect.flip(zoom.meetings.get(Samples.meeting.id)))

      expect(error).toMatchObject({ reason: "Unauthorized", status: 401, code: "124" })
      expect(apiCalls).toBe(2)
      expect(fake.state.tokenGrants).toBe(2)
    })
  )

  it.effect("wrong app credentials fail as Unauthorized without calling the API", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake, [], { clientId: "someone-else" })

      const error = failure(yield* Effect.flip(zoom.meetings.get(Samples.meeting.id)))

      expect(error).toMatchObject({
        call: "oauth.token",
        reason: "Unauthorized",
        code: "invalid_client",
        attempts: 1
      })
      expect(fake.stats.byRoute["GET /v2/meetings/:meetingId"]).toBeUndefined()
    })
  )

  it.effect("the token grant counts against the invocation's subrequest budget", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)
      const invocation = yield* Invocation.make({ subrequests: 1 })

      const error = yield* Effect.flip(
        zoom.meetings
          .get(Samples.meeting.id)
          .pipe(Effect.provideService(Invocation.Invocation, invocation))
      )

      expect(error._tag).toBe("BudgetExhausted")
      expect(fake.state.tokenGrants).toBe(1)
    })
  )
})

describe("Zoom recordings", () => {
  it.effect("a meeting UUID that starts with / or holds // is encoded twice in the path", () =>
    Effect.gen(function* () {
      const [slashFirst, doubleSlash] = Samples.earlierMeetings
      const recording = { id: "rec-encoded", transcript: Samples.meeting.recording!.transcript }
      const fake = FakeZoom.make({
        meetings: [
          { ...slashFirst!, recording },
          { ...doubleSlash!, recording: { ...recording, id: "rec-encoded-2" } }
        ]
      })
      const seen: Array<Seen> = []
      const zoom = yield* zoomOver(fake, seen)

      const first = yield* zoom.recordings.list(slashFirst!.uuid)
      const second = yield* zoom.recordings.list(doubleSlash!.uuid)

      expect(first.uuid).toBe(slashFirst!.uuid)
      expect(second.uuid).toBe(doubleSlash!.uuid)
      expect(seen.map((request) => new URL(request.url).pathname).slice(1)).toEqual([
        `/v2/meetings/${encodeURIComponent(encodeURIComponent(slashFirst!.uuid))}/recordings`,
        `/v2/meetings/${encodeURIComponent(encodeURIComponent(doubleSlash!.uuid))}/recordings`
      ])
    })
  )

  it.effect("a plain UUID is encoded once", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)

      const recordings = yield* zoom.recordings.list(Samples.meeting.uuid)

      expect(recordings.uuid).toBe(Samples.meeting.uuid)
      expect(recordings.files.map((file) => file.fileType)).toEqual(["MP4", "M4A", "TRANSCRIPT"])
    })
  )

  it.effect("the transcript is downloaded with the bearer token and parsed into cues", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const seen: Array<Seen> = []
      const zoom = yield* zoomOver(fake, seen)

      const transcript = yield* zoom.recordings.transcript(Samples.meeting.id)

      expect(transcript.cues).toHaveLength(Samples.transcriptCues.length)
      expect(transcript.cues[0]).toEqual({
        start: 2000,
        end: 9000,
        speaker: "Ada Lovelace",
        text: "Good morning everyone, let's start the weekly product sync."
      })
      expect(transcript.text.split("\n")[1]).toBe(
        "Grace Hopper: The beta went well: 42 teams onboarded and the error rate stayed under half a percent."
      )
      const download = seen.find((request) => request.url.includes("/rec/download/"))
      expect(download?.headers.authorization).toMatch(/^Bearer /)
    })
  )

  it.effect("a recording without a transcript fails as NotFound", () =>
    Effect.gen(function* () {
      const fake = FakeZoom.make()
      const zoom = yield* zoomOver(fake)
      const recordings = yield* zoom.recordings.list(Samples.meeting.id)
      const withoutTranscript = recordings.files.filter((file) => file.fileType !== "TRANSCRIPT")

      expect(Zoom.transcriptFile(withoutTranscript)).toBeUndefined()
      const error = failure(
        yield* Effect.flip(zoom.recordings.transcript(Samples.earlierMeetings[2]!.uuid))
      )
      expect(error).toMatchObject({ reason: "NotFound", code: "3301" })
    })
  )
})
