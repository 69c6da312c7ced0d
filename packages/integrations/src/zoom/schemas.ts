import { Schema } from "effect"
import type * as Paging from "../internal/Paging"

/** A meeting's number, which Zoom sends as a JSON number and some documents as a string. */
export const MeetingNumber = Schema.Union(Schema.Number, Schema.NumberFromString)

/** A meeting, as `GET /meetings/{meetingId}` describes it. */
export const Meeting = Schema.Struct({
  id: MeetingNumber,
  uuid: Schema.String,
  topic: Schema.String,
  type: Schema.optional(Schema.Number),
  hostId: Schema.optional(Schema.String).pipe(Schema.fromKey("host_id")),
  hostEmail: Schema.optional(Schema.String).pipe(Schema.fromKey("host_email")),
  startTime: Schema.optional(Schema.String).pipe(Schema.fromKey("start_time")),
  duration: Schema.optional(Schema.Number),
  timezone: Schema.optional(Schema.String),
  agenda: Schema.optional(Schema.String),
  joinUrl: Schema.optional(Schema.String).pipe(Schema.fromKey("join_url"))
})
export type Meeting = typeof Meeting.Type

/** A meeting as a host's list of meetings shows it. */
export const MeetingSummary = Schema.Struct({
  id: MeetingNumber,
  uuid: Schema.String,
  topic: Schema.optional(Schema.String),
  type: Schema.optional(Schema.Number),
  hostId: Schema.optional(Schema.String).pipe(Schema.fromKey("host_id")),
  startTime: Schema.optional(Schema.String).pipe(Schema.fromKey("start_time")),
  duration: Schema.optional(Schema.Number),
  timezone: Schema.optional(Schema.String),
  agenda: Schema.optional(Schema.String),
  createdAt: Schema.optional(Schema.String).pipe(Schema.fromKey("created_at")),
  joinUrl: Schema.optional(Schema.String).pipe(Schema.fromKey("join_url"))
})
export type MeetingSummary = typeof MeetingSummary.Type

/** `next_page_token`: `""` (or absent) on the last page; a token expires after 15 minutes. */
const NextPageToken = Schema.optionalWith(Schema.String, { default: () => "" }).pipe(
  Schema.fromKey("next_page_token")
)

/** One page of `GET /users/{userId}/meetings`. */
export const MeetingPage = Schema.Struct({
  meetings: Schema.optionalWith(Schema.Array(MeetingSummary), { default: () => [] }),
  totalRecords: Schema.optional(Schema.Number).pipe(Schema.fromKey("total_records")),
  nextPageToken: NextPageToken
})

/** Which of a user's meetings to list: `scheduled` (Zoom's default), `live`, `upcoming`, ... */
export type MeetingListType =
  | "scheduled"
  | "live"
  | "upcoming"
  | "upcoming_meetings"
  | "previous_meetings"

/**
 * Options of a host's list of meetings. `pageSize` is at most 300 (the default here). A
 * `startCursor` is a `next_page_token`, which Zoom honours for 15 minutes only.
 */
export interface ListMeetings extends Paging.ListOptions {
  readonly type?: MeetingListType
}

/** Someone who attended a past meeting instance; guests have an empty `userId`. */
export const Participant = Schema.Struct({
  id: Schema.optional(Schema.String),
  userId: Schema.optional(Schema.String).pipe(Schema.fromKey("user_id")),
  name: Schema.optional(Schema.String),
  email: Schema.optional(Schema.String).pipe(Schema.fromKey("user_email")),
  joinTime: Schema.optional(Schema.String).pipe(Schema.fromKey("join_time")),
  leaveTime: Schema.optional(Schema.String).pipe(Schema.fromKey("leave_time")),
  /** Seconds in the meeting. */
  duration: Schema.optional(Schema.Number),
  status: Schema.optional(Schema.String)
})
export type Participant = typeof Participant.Type

/** One page of `GET /past_meetings/{meetingUUID}/participants`. */
export const ParticipantPage = Schema.Struct({
  participants: Schema.optionalWith(Schema.Array(Participant), { default: () => [] }),
  totalRecords: Schema.optional(Schema.Number).pipe(Schema.fromKey("total_records")),
  nextPageToken: NextPageToken
})

/** One file of a cloud recording: video, audio, transcript, chat, captions or timeline. */
export const RecordingFile = Schema.Struct({
  id: Schema.optional(Schema.String),
  meetingId: Schema.optional(Schema.String).pipe(Schema.fromKey("meeting_id")),
  /** `MP4`, `M4A`, `TRANSCRIPT`, `CHAT`, `CC`, `TIMELINE`, ... */
  fileType: Schema.optional(Schema.String).pipe(Schema.fromKey("file_type")),
  fileExtension: Schema.optional(Schema.String).pipe(Schema.fromKey("file_extension")),
  fileSize: Schema.optional(Schema.Number).pipe(Schema.fromKey("file_size")),
  recordingType: Schema.optional(Schema.String).pipe(Schema.fromKey("recording_type")),
  recordingStart: Schema.optional(Schema.String).pipe(Schema.fromKey("recording_start")),
  recordingEnd: Schema.optional(Schema.String).pipe(Schema.fromKey("recording_end")),
  downloadUrl: Schema.optional(Schema.String).pipe(Schema.fromKey("download_url")),
  /** `completed` once the file can be downloaded, `processing` before. */
  status: Schema.optional(Schema.String)
})
export type RecordingFile = typeof RecordingFile.Type

/** The cloud recordings of one meeting instance. */
export const Recordings = Schema.Struct({
  id: MeetingNumber,
  uuid: Schema.String,
  topic: Schema.optional(Schema.String),
  hostId: Schema.optional(Schema.String).pipe(Schema.fromKey("host_id")),
  startTime: Schema.optional(Schema.String).pipe(Schema.fromKey("start_time")),
  duration: Schema.optional(Schema.Number),
  files: Schema.optionalWith(Schema.Array(RecordingFile), { default: () => [] }).pipe(
    Schema.fromKey("recording_files")
  )
})
export type Recordings = typeof Recordings.Type

/** One cue of a transcript; times are milliseconds from the start of the recording. */
export const Cue = Schema.Struct({
  start: Schema.Number,
  end: Schema.Number,
  /** Who spoke, `Unknown` when the transcript does not say. */
  speaker: Schema.String,
  text: Schema.String
})
export type Cue = typeof Cue.Type

/** A meeting transcript: its cues, and its text as `Speaker: words` lines. */
export const Transcript = Schema.Struct({
  cues: Schema.Array(Cue),
  text: Schema.String
})
export type Transcript = typeof Transcript.Type

/** What the OAuth token endpoint answers. */
export const TokenResponse = Schema.Struct({
  accessToken: Schema.propertySignature(Schema.Redacted(Schema.String)).pipe(
    Schema.fromKey("access_token")
  ),
  expiresIn: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("expires_in"))
})
export type TokenResponse = typeof TokenResponse.Type
