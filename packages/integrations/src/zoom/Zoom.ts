/**
 * Zoom meetings, participants and cloud recordings, through a Server-to-Server OAuth app.
 *
 * Cached: the access token, in memory for its life (about an hour) less a minute. No lookup is
 * cached in `Storage`. Lists are paced by Zoom's Medium category, single reads by Light.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { IntegrationError } from "@workway/core"
import { Client, type Limit, type RateLimiter, ServiceConfig } from "@workway/http"
import { type ConfigError, Context, Duration, Effect, Layer, Redacted, type Stream } from "effect"
import * as Paging from "../internal/Paging"
import * as TokenCache from "../internal/TokenCache"
import { classify, classifyOAuth } from "./classify"
import { type Configuration, config, type Options } from "./config"
import { type MeetingId, toPathSegment } from "./MeetingId"
import {
  type ListMeetings,
  Meeting,
  MeetingPage,
  type MeetingSummary,
  type Participant,
  ParticipantPage,
  type RecordingFile,
  Recordings,
  TokenResponse,
  type Transcript
} from "./schemas"
import * as Vtt from "./Vtt"

/** Zoom meetings and cloud recordings, through a Server-to-Server OAuth app. */
export interface ZoomService {
  readonly users: {
    /**
     * The meetings a user hosts (`me` for the app's owner, or an id or email), fetched page by
     * page as they are read; Medium category.
     */
    readonly meetings: (
      userId: string,
      options?: ListMeetings
    ) => Stream.Stream<MeetingSummary, Client.CallError>
    /** The pages of `meetings`, each with the `next_page_token` that resumes after it. */
    readonly meetingPages: (
      userId: string,
      options?: ListMeetings
    ) => Stream.Stream<Paging.Page<MeetingSummary>, Client.CallError>
  }
  readonly pastMeetings: {
    /**
     * Who attended a past meeting instance, by its UUID (encoded twice where Zoom needs it) or
     * its number (the latest instance), fetched page by page as read; Medium category.
     */
    readonly participants: (
      meetingId: MeetingId,
      options?: Paging.ListOptions
    ) => Stream.Stream<Participant, Client.CallError>
    /** The pages of `participants`, each with the `next_page_token` that resumes after it. */
    readonly participantPages: (
      meetingId: MeetingId,
      options?: Paging.ListOptions
    ) => Stream.Stream<Paging.Page<Participant>, Client.CallError>
  }
  readonly meetings: {
    /** A meeting by its number (its latest instance) or by an instance UUID. */
    readonly get: (meetingId: MeetingId) => Effect.Effect<Meeting, Client.CallError>
  }
  readonly recordings: {
    /** The cloud recording files of a meeting instance. */
    readonly list: (meetingId: MeetingId) => Effect.Effect<Recordings, Client.CallError>
    /**
     * The audio transcript of a meeting instance, downloaded and parsed. Fails with reason
     * `NotFound` when the recording has no transcript, or Zoom is still producing it.
     */
    readonly transcript: (meetingId: MeetingId) => Effect.Effect<Transcript, Client.CallError>
  }
}

/** The Zoom integration. */
export class Zoom extends Context.Tag("@workway/integrations/Zoom")<Zoom, ZoomService>() {}

const service = "zoom"

/** Tokens are replaced this long before Zoom says they expire. */
const tokenMargin = Duration.seconds(60)

type Category = keyof Configuration["limits"]

/** Zoom's rate-limit category of each call; downloads are paced like Light calls. */
const categories: Readonly<Record<string, Category>> = {
  "users.meetings": "medium",
  "pastMeetings.participants": "medium",
  "meetings.get": "light",
  "recordings.list": "light",
  "recordings.download": "light"
}

/** Items per page unless a call says otherwise: Zoom's maximum, for the fewest requests. */
export const defaultPageSize = 300

/** A 401 on an API call: the token expired or was revoked before its time. */
const isRejectedToken = (error: Client.CallError): boolean =>
  error._tag === "IntegrationError" && error.reason === "Unauthorized" && error.status === 401

const bearer = (token: TokenCache.AccessToken) => ({
  authorization: `Bearer ${Redacted.value(token.value)}`
})

/** The transcript among a recording's files: the audio transcript, else any WebVTT file. */
export const transcriptFile = (files: ReadonlyArray<RecordingFile>): RecordingFile | undefined =>
  files.find((file) => file.fileType === "TRANSCRIPT") ??
  files.find((file) => file.fileExtension?.toUpperCase() === "VTT")

/** Builds a Zoom client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { accountId, settings, limits } = configuration
    const shared = {
      service,
      ...ServiceConfig.clientOptions(settings)
    }
    const keyed = (category: Category): Limit.LimitUse => ({
      key: `${service}:${accountId}:${category}`,
      limit: limits[category]
    })

    const oauth = yield* Client.make({
      ...shared,
      baseUrl: configuration.oauthUrl,
      classify: classifyOAuth,
      authorize: (request) =>
        Effect.succeed(
          HttpClientRequest.basicAuth(request, configuration.clientId, configuration.clientSecret)
        ),
      limits: () => [{ key: `${service}:${accountId}:oauth`, limit: limits.light }]
    })
    const api = yield* Client.make({
      ...shared,
      baseUrl: configuration.baseUrl,
      classify,
      // Each call carries the token it was given, so that a 401 replaces exactly that token.
      authorize: Effect.succeed,
      limits: (call) => [keyed(categories[call.call] ?? "light")]
    })

    const tokens = yield* TokenCache.make({
      margin: tokenMargin,
      fetch: oauth
        .json(
          {
            call: "oauth.token",
            method: "POST",
            path: "",
            query: { grant_type: "account_credentials", account_id: accountId },
            idempotent: true
          },
          TokenResponse
        )
        .pipe(
          Effect.map((grant) => ({
            value: grant.accessToken,
            expiresIn: Duration.seconds(grant.expiresIn)
          }))
        )
    })

    /** Runs a call with the current token; a 401 replaces the token once and runs it again. */
    const authorized = <A>(
      use: (headers: Readonly<Record<string, string>>) => Effect.Effect<A, Client.CallError>
    ): Effect.Effect<A, Client.CallError> =>
      Effect.flatMap(tokens.get, (token) =>
        use(bearer(token)).pipe(
          Effect.catchIf(isRejectedToken, () =>
            tokens.invalidate(token).pipe(
              Effect.zipRight(tokens.get),
              Effect.flatMap((fresh) => use(bearer(fresh)))
            )
          )
        )
      )

    const get = (meetingId: MeetingId) =>
      authorized((headers) =>
        api.json(
          {
            call: "meetings.get",
            method: "GET",
            path: `/meetings/${toPathSegment(meetingId)}`,
            headers
          },
          Meeting
        )
      )

    const list = (meetingId: MeetingId) =>
      authorized((headers) =>
        api.json(
          {
            call: "recordings.list",
            method: "GET",
            path: `/meetings/${toPathSegment(meetingId)}/recordings`,
            headers
          },
          Recordings
        )
      )

    const missing = (code: string, detail: string) =>
      new IntegrationError({
        service,
        call: "recordings.transcript",
        reason: "NotFound",
        attempts: 1,
        code,
        detail
      })

    const transcript = (meetingId: MeetingId) =>
      Effect.gen(function* () {
        const recordings = yield* list(meetingId)
        const file = transcriptFile(recordings.files)
        if (file?.downloadUrl === undefined) {
          return yield* missing(
            "transcript_not_found",
            `meeting ${meetingId} has no transcript among its ${recordings.files.length} ` +
              `recording files; audio transcription may be off for this account`
          )
        }
        if (file.status !== undefined && file.status !== "completed") {
          return yield* missing(
            "transcript_processing",
            `the transcript of meeting ${meetingId} is ${file.status}; try again when Zoom sends ` +
              `recording.transcript_completed`
          )
        }
        const url = file.downloadUrl
        const answer = yield* authorized((headers) =>
          api.send({
            call: "recordings.download",
            method: "GET",
            path: url,
            headers: { ...headers, accept: "text/vtt, text/plain;q=0.9, */*;q=0.1" }
          })
        )
        return Vtt.parse(answer.body)
      })

    const meetingPages = (userId: string, options: ListMeetings = {}) =>
      Paging.pages(options.startCursor, (cursor) =>
        authorized((headers) =>
          api.json(
            {
              call: "users.meetings",
              method: "GET",
              path: `/users/${encodeURIComponent(userId)}/meetings`,
              query: {
                type: options.type,
                page_size: options.pageSize ?? defaultPageSize,
                next_page_token: cursor
              },
              headers
            },
            MeetingPage
          )
        ).pipe(Effect.map((page) => ({ items: page.meetings, nextCursor: page.nextPageToken })))
      )

    const participantPages = (meetingId: MeetingId, options: Paging.ListOptions = {}) =>
      Paging.pages(options.startCursor, (cursor) =>
        authorized((headers) =>
          api.json(
            {
              call: "pastMeetings.participants",
              method: "GET",
              path: `/past_meetings/${toPathSegment(meetingId)}/participants`,
              query: { page_size: options.pageSize ?? defaultPageSize, next_page_token: cursor },
              headers
            },
            ParticipantPage
          )
        ).pipe(Effect.map((page) => ({ items: page.participants, nextCursor: page.nextPageToken })))
      )

    return Zoom.of({
      users: {
        meetings: (userId, options) => Paging.items(meetingPages(userId, options)),
        meetingPages
      },
      pastMeetings: {
        participants: (meetingId, options) => Paging.items(participantPages(meetingId, options)),
        participantPages
      },
      meetings: { get },
      recordings: { list, transcript }
    })
  })

/** Zoom, configured from `ZOOM_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Zoom, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Zoom, Effect.flatMap(config(options), make))
