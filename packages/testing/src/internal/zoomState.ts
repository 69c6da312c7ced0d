import * as Ids from "./ids"

/** A user of the fake Zoom account. */
export interface ZoomUser {
  readonly id: string
  readonly email: string
  readonly first_name: string
  readonly last_name: string
  readonly display_name: string
  readonly timezone: string
}

/** Someone who attended a meeting instance. */
export interface ZoomParticipant {
  readonly id: string
  readonly user_id: string
  readonly name: string
  readonly user_email: string
  readonly join_time: string
  readonly leave_time: string
  readonly duration: number
  readonly status: string
}

/** A cloud recording of a meeting instance; its transcript is WebVTT. */
export interface ZoomRecording {
  readonly id: string
  readonly transcript: string
}

/** A meeting instance: its numeric id, its instance UUID, who attended, what was recorded. */
export interface ZoomMeeting {
  readonly id: number
  readonly uuid: string
  readonly host_id: string
  readonly host_email: string
  readonly topic: string
  readonly type: number
  readonly start_time: string
  readonly end_time: string
  readonly duration: number
  readonly timezone: string
  readonly agenda: string
  readonly participants: ReadonlyArray<ZoomParticipant>
  readonly recording: ZoomRecording | undefined
}

/** What a `next_page_token` stands for: where a listing continues, and when it was issued. */
export interface ZoomPageToken {
  readonly listing: string
  readonly offset: number
  readonly issuedAt: number
}

/** The fake Zoom account. */
export interface ZoomState {
  readonly accountId: string
  readonly clientId: string
  readonly clientSecret: string
  readonly users: Array<ZoomUser>
  readonly meetings: Array<ZoomMeeting>
  /** Access tokens issued, with the time each expires. */
  readonly tokens: Map<string, number>
  /** How many access tokens were granted. */
  tokenGrants: number
  readonly pageTokens: Map<string, ZoomPageToken>
}

/** Finds a meeting by numeric id (the latest instance) or by instance UUID. */
export const findMeeting = (state: ZoomState, key: string): ZoomMeeting | undefined => {
  if (/^\d+$/.test(key)) {
    const instances = state.meetings.filter((meeting) => String(meeting.id) === key)
    return instances.sort((a, b) => b.start_time.localeCompare(a.start_time))[0]
  }
  return state.meetings.find((meeting) => meeting.uuid === key)
}

/** Finds a user by id, by email, or `me` (the first user, who owns the app). */
export const findUser = (state: ZoomState, key: string): ZoomUser | undefined =>
  key === "me"
    ? state.users[0]
    : state.users.find((user) => user.id === key || user.email.toLowerCase() === key.toLowerCase())

/**
 * Decodes a meeting UUID path segment the router already decoded once. A UUID that starts with
 * `/` or contains `//` must arrive encoded twice; encoded once, it would have put extra slashes
 * into the path Zoom routes on, so it is not found.
 */
export const decodeMeetingKey = (once: string): string | undefined => {
  if (/%2f/i.test(once)) {
    try {
      return decodeURIComponent(once)
    } catch {
      return undefined
    }
  }
  return once.startsWith("/") || once.includes("//") ? undefined : once
}

/** The files of a recording: video, audio and the transcript Zoom derives from the audio. */
export const recordingFiles = (meeting: ZoomMeeting, recording: ZoomRecording, origin: string) => {
  const file = (suffix: string, fileType: string, extension: string, recordingType: string) => ({
    id: `${recording.id}-${suffix}`,
    meeting_id: meeting.uuid,
    recording_start: meeting.start_time,
    recording_end: meeting.end_time,
    file_type: fileType,
    file_extension: extension,
    file_size:
      fileType === "TRANSCRIPT" ? new TextEncoder().encode(recording.transcript).length : 0,
    play_url: `${origin}/rec/play/${recording.id}-${suffix}`,
    download_url: `${origin}/rec/download/${recording.id}-${suffix}`,
    status: "completed",
    recording_type: recordingType
  })
  return [
    { ...file("mp4", "MP4", "MP4", "shared_screen_with_speaker_view"), file_size: 24_117_248 },
    { ...file("m4a", "M4A", "M4A", "audio_only"), file_size: 3_145_728 },
    file("vtt", "TRANSCRIPT", "VTT", "audio_transcript")
  ]
}

/** A meeting as `GET /meetings/{meetingId}` answers it. */
export const meetingDetails = (meeting: ZoomMeeting) => ({
  uuid: meeting.uuid,
  id: meeting.id,
  host_id: meeting.host_id,
  host_email: meeting.host_email,
  assistant_id: "",
  topic: meeting.topic,
  type: meeting.type,
  status: "waiting",
  start_time: meeting.start_time,
  duration: meeting.duration,
  timezone: meeting.timezone,
  agenda: meeting.agenda,
  created_at: meeting.start_time,
  start_url: `https://zoom.us/s/${meeting.id}`,
  join_url: `https://zoom.us/j/${meeting.id}`,
  pre_schedule: false,
  settings: {
    host_video: true,
    participant_video: true,
    join_before_host: false,
    mute_upon_entry: true,
    auto_recording: "cloud",
    waiting_room: false
  }
})

/** A meeting as it appears in a host's list of meetings. */
export const meetingSummary = (meeting: ZoomMeeting) => ({
  uuid: meeting.uuid,
  id: meeting.id,
  host_id: meeting.host_id,
  topic: meeting.topic,
  type: meeting.type,
  start_time: meeting.start_time,
  duration: meeting.duration,
  timezone: meeting.timezone,
  agenda: meeting.agenda,
  created_at: meeting.start_time,
  join_url: `https://zoom.us/j/${meeting.id}`
})

const pageTokenTtlMs = 15 * 60 * 1000

/** One page of a listing, or the reason the request cannot be paged. */
export type Paged<A> =
  | {
      readonly _tag: "Page"
      readonly items: ReadonlyArray<A>
      readonly page: {
        readonly page_size: number
        readonly total_records: number
        readonly next_page_token: string
      }
    }
  | { readonly _tag: "Invalid"; readonly code: number; readonly message: string }

/**
 * Pages a listing the way Zoom does: `page_size` defaults to 30 and is capped at 300;
 * `next_page_token` is opaque, bound to its listing, `""` on the last page, and expires after
 * 15 minutes.
 */
export const page = <A>(
  state: ZoomState,
  now: number,
  query: URLSearchParams,
  listing: string,
  items: ReadonlyArray<A>
): Paged<A> => {
  const raw = query.get("page_size") ?? ""
  const requested = raw === "" ? 30 : Number(raw)
  if (!Number.isInteger(requested)) return { _tag: "Invalid", code: 300, message: "Invalid field." }
  const pageSize = requested < 1 ? 30 : Math.min(requested, 300)

  let offset = 0
  const token = query.get("next_page_token") ?? ""
  if (token !== "") {
    const entry = state.pageTokens.get(token)
    if (entry === undefined || entry.listing !== listing || now - entry.issuedAt > pageTokenTtlMs) {
      return { _tag: "Invalid", code: 300, message: "The next page token is invalid or expired." }
    }
    offset = entry.offset
  }

  const end = offset + pageSize
  let next = ""
  if (end < items.length) {
    next = Ids.opaque(`${listing}:${end}:${state.pageTokens.size}`)
    state.pageTokens.set(next, { listing, offset: end, issuedAt: now })
  }
  return {
    _tag: "Page",
    items: items.slice(offset, end),
    page: { page_size: pageSize, total_records: items.length, next_page_token: next }
  }
}

/** The body and type of a recording file, by the id its `download_url` ends with. */
export const download = (
  state: ZoomState,
  fileId: string
): { readonly body: string; readonly contentType: string } | undefined => {
  for (const meeting of state.meetings) {
    const recording = meeting.recording
    if (recording === undefined || !fileId.startsWith(`${recording.id}-`)) continue
    switch (fileId.slice(recording.id.length + 1)) {
      case "vtt":
        return { body: recording.transcript, contentType: "text/vtt; charset=utf-8" }
      case "mp4":
        return { body: "fake video", contentType: "video/mp4" }
      case "m4a":
        return { body: "fake audio", contentType: "audio/mp4" }
    }
  }
  return undefined
}
