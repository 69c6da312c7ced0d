import type { NotionDatabase, NotionUser } from "./internal/notionState"
import type { SlackChannel, SlackUser } from "./internal/slackState"
import type { ZoomMeeting, ZoomParticipant, ZoomUser } from "./internal/zoomState"

/** Credentials every fake accepts by default. */
export const credentials = {
  zoom: {
    accountId: "fk4cct-Wq2LmN7xRz",
    clientId: "fakeZoomClientId01",
    clientSecret: "fakeZoomClientSecret0123456789ab"
  },
  notion: { token: "secret_fake_notion" },
  slack: { token: "xoxb-fake" },
  ai: { apiKey: "sk-fake" }
} as const

/** The host of the sample meeting, the same person in Zoom, Slack and Notion. */
export const host = {
  name: "Ada Lovelace",
  email: "ada@example.com",
  zoomUserId: "KDcuGIm1QgePTO8WbOqwIQ",
  slackUserId: "U0ADA00001",
  notionUserId: "6a1d3e2f-7b4c-4d5e-9f60-a1b2c3d4e5f6"
} as const

/** The Zoom users of the sample account. */
export const zoomUsers: ReadonlyArray<ZoomUser> = [
  {
    id: host.zoomUserId,
    email: host.email,
    first_name: "Ada",
    last_name: "Lovelace",
    display_name: host.name,
    timezone: "Europe/London"
  }
]

/** One line of the sample transcript: who spoke, when (seconds from the start) and what. */
export interface Cue {
  readonly speaker: string
  readonly start: number
  readonly end: number
  readonly text: string
}

const ada = "Ada Lovelace"
const grace = "Grace Hopper"
const alan = "Alan Turing"

const lines: ReadonlyArray<readonly [string, number, number, string]> = [
  [ada, 2, 9, "Good morning everyone, let's start the weekly product sync."],
  [ada, 9, 18, "The main topic today is the launch of Workway Sync on December 3rd."],
  [
    grace,
    19,
    29,
    "The beta went well: 42 teams onboarded and the error rate stayed under half a percent."
  ],
  [
    alan,
    30,
    41,
    "The Notion connector still throttles when a workspace imports more than ten thousand pages."
  ],
  [grace, 42, 50, "We paced it to three requests per second yesterday and the 429s went away."],
  [ada, 51, 59, "Good. So are we confident enough to keep the December 3rd date?"],
  [
    alan,
    60,
    70,
    "Yes, if the checkpointing fix lands by Friday. Otherwise long imports restart from zero."
  ],
  [
    ada,
    71,
    80,
    "Then we decide: the launch stays on December 3rd, with the checkpointing fix as a blocker."
  ],
  [grace, 81, 91, "Pricing next. Sales wants a free tier capped at one thousand runs a month."],
  [
    alan,
    92,
    101,
    "One thousand runs is fine for the infrastructure, the cost is mostly vendor calls."
  ],
  [
    ada,
    102,
    111,
    "Decision: we ship the free tier at one thousand runs a month and revisit in January."
  ],
  [
    grace,
    112,
    121,
    "For the announcement I will draft the blog post and the changelog by Wednesday."
  ],
  [
    alan,
    122,
    131,
    "I will finish the checkpointing fix and run the ten thousand page import benchmark."
  ],
  [ada, 132, 141, "I will brief support and update the status page runbook before the launch."],
  [grace, 142, 151, "Should we post the meeting notes to the product channel automatically?"],
  [ada, 152, 160, "Yes, that is exactly what the meeting notes workflow is for."],
  [
    alan,
    161,
    171,
    "One risk: Slack limits new apps on conversations history, so we only post, never read."
  ],
  [ada, 172, 180, "Noted. Let's keep the workflow write-only for the launch."],
  [grace, 181, 189, "Last item, the customer webinar moves to December 10th."],
  [ada, 190, 198, "Great. Thanks everyone, see you next week."]
]

/** The sample meeting's transcript: a product sync about a launch, decisions and action items. */
export const transcriptCues: ReadonlyArray<Cue> = lines.map(([speaker, start, end, text]) => ({
  speaker,
  start,
  end,
  text
}))

const timestamp = (seconds: number): string => {
  const hours = String(Math.floor(seconds / 3600)).padStart(2, "0")
  const minutes = String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")
  const rest = String(seconds % 60).padStart(2, "0")
  return `${hours}:${minutes}:${rest}.000`
}

/** Renders cues as Zoom writes its audio transcripts: WebVTT with `Speaker Name: text` cues. */
export const toVtt = (cues: ReadonlyArray<Cue>): string => {
  const blocks = cues.map(
    (cue, index) =>
      `${index + 1}\n${timestamp(cue.start)} --> ${timestamp(cue.end)}\n${cue.speaker}: ${cue.text}`
  )
  return `${["WEBVTT", ...blocks].join("\n\n")}\n`
}

const attendees: ReadonlyArray<readonly [string, string]> = [
  [ada, host.email],
  [grace, "grace@example.com"],
  [alan, "alan@example.com"],
  ["Katherine Johnson", "katherine@example.com"],
  ["Margaret Hamilton", "margaret@example.com"],
  ["Edsger Dijkstra", "edsger@example.com"],
  ["Barbara Liskov", "barbara@example.com"],
  ["Donald Knuth", "donald@example.com"]
]

const participantsAt = (startTime: string, count: number): ReadonlyArray<ZoomParticipant> =>
  attendees.slice(0, count).map(([name, email], index) => ({
    id: `p${String(index + 1).padStart(3, "0")}ZkQ${name.length}x`,
    user_id: String(16778240 + index),
    name,
    user_email: email,
    join_time: new Date(Date.parse(startTime) + index * 20_000).toISOString().replace(".000", ""),
    leave_time: new Date(Date.parse(startTime) + 1_800_000).toISOString().replace(".000", ""),
    duration: 1800 - index * 20,
    status: "in_meeting"
  }))

/** The sample meeting: the weekly product sync whose end starts the meeting-notes workflow. */
export const meeting: ZoomMeeting = {
  id: 85746065432,
  uuid: "qOTl3lVCRf+zWyyVxT8HHQ==",
  host_id: host.zoomUserId,
  host_email: host.email,
  topic: "Weekly product sync",
  type: 2,
  start_time: "2026-11-12T16:00:00Z",
  end_time: "2026-11-12T16:30:00Z",
  duration: 30,
  timezone: "Europe/London",
  agenda: "Launch readiness, pricing, announcements",
  participants: participantsAt("2026-11-12T16:00:00Z", attendees.length),
  recording: { id: "a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d", transcript: toVtt(transcriptCues) }
}

const earlierUuids = [
  "/gZ4kQ2sTy6Hq1wXv9bN3Ew==",
  "kP9r//xM2aQe7LzW5tYuHg==",
  "Tm3vYw8RQnKx2Lp5sJd7fA==",
  "Hq2bN8cVx4RtY6uI0oP1aQ==",
  "Lw9eR3tY5uI7oP1aS2dF4g==",
  "Zx1cV3bN5mQ7wE9rT2yU4i==",
  "Pa8sD6fG4hJ2kL0zX9cV7b==",
  "Mn5bV7cX9zL1kJ3hG5fD7s==",
  "Qw2eR4tY6uI8oP0aS1dF3g==",
  "Yt6rE4wQ2aZ0xC8vB6nM4k==",
  "Ju7hY5gT3fR1eD9sW7qA5z=="
]

/**
 * Earlier instances of the weekly sync, newest first, so listing a host's meetings spans pages.
 * The first two have UUIDs that start with `/` or contain `//`, which clients must encode twice.
 */
export const earlierMeetings: ReadonlyArray<ZoomMeeting> = earlierUuids.map((uuid, index) => {
  const start = new Date(Date.parse(meeting.start_time) - (index + 1) * 7 * 86_400_000)
  const startTime = start.toISOString().replace(".000", "")
  return {
    id: 85746065000 + index * 7,
    uuid,
    host_id: host.zoomUserId,
    host_email: host.email,
    topic: "Weekly product sync",
    type: 2,
    start_time: startTime,
    end_time: new Date(start.getTime() + 1_800_000).toISOString().replace(".000", ""),
    duration: 30,
    timezone: "Europe/London",
    agenda: "",
    participants: participantsAt(startTime, 3 + (index % 5)),
    recording: undefined
  }
})

/** A Zoom `meeting.ended` webhook body for the sample meeting. */
export const meetingEndedPayload = {
  event: "meeting.ended",
  event_ts: Date.parse(meeting.end_time),
  payload: {
    account_id: credentials.zoom.accountId,
    object: {
      id: meeting.id,
      uuid: meeting.uuid,
      host_id: meeting.host_id,
      topic: meeting.topic,
      type: meeting.type,
      start_time: meeting.start_time,
      end_time: meeting.end_time,
      duration: meeting.duration,
      timezone: meeting.timezone
    }
  }
} as const

/** The Slack workspace of the samples. */
export const slackTeamId = "T0FAKE0001"

const slackUser = (id: string, name: string, realName: string, email: string): SlackUser => ({
  id,
  name,
  real_name: realName,
  display_name: realName.split(" ")[0] ?? realName,
  email,
  is_bot: false,
  tz: "Europe/London"
})

/** The members of the sample Slack workspace: the host, two colleagues and the app's bot. */
export const slackUsers: ReadonlyArray<SlackUser> = [
  slackUser(host.slackUserId, "ada", host.name, host.email),
  slackUser("U0GRACE002", "grace", "Grace Hopper", "grace@example.com"),
  slackUser("U0ALAN0003", "alan", "Alan Turing", "alan@example.com"),
  { ...slackUser("U0BOT00001", "workway", "Workway", "workway-bot@example.com"), is_bot: true }
]

const channel = (id: string, name: string, extra: Partial<SlackChannel> = {}): SlackChannel => ({
  id,
  name,
  is_private: false,
  is_archived: false,
  created: 1_700_000_000,
  ...extra
})

/**
 * The conversations of the sample workspace. An archived and a private channel sit between the
 * public ones, so filtered pages of `conversations.list` come back short.
 */
export const slackChannels: ReadonlyArray<SlackChannel> = [
  channel("C0GENERAL1", "general"),
  channel("C0LAUNCH25", "launch-2025", { is_archived: true }),
  channel("C0PRODUCT1", "product"),
  channel("G0LEADERS1", "leadership", { is_private: true }),
  channel("C0MEETNOTE", "meeting-notes"),
  channel("C0RANDOM01", "random")
]

/** The page under which meeting notes are written in the sample Notion workspace. */
export const notionParentPageId = "2b1f4e7a-9c3d-4f5e-8a6b-7c8d9e0f1a2b"

/** The user the Notion integration acts as. */
export const notionBotId = "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"

/** The users of the sample Notion workspace. */
export const notionUsers: ReadonlyArray<NotionUser> = [
  { id: host.notionUserId, name: host.name, type: "person", email: host.email },
  { id: notionBotId, name: "Workway", type: "bot" }
]

/** A database of meetings under the parent page, with its single data source. */
export const notionDatabase: NotionDatabase = {
  id: "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a",
  dataSourceId: "9e8d7c6b-5a4f-4e3d-a2c1-b0a9f8e7d6c5",
  title: "Meetings",
  parentPageId: notionParentPageId,
  properties: {
    Name: { id: "title", type: "title" },
    "Meeting ID": { id: "mtid", type: "rich_text" },
    Host: { id: "host", type: "rich_text" },
    Date: { id: "date", type: "date" },
    Status: { id: "stat", type: "select" }
  }
}
