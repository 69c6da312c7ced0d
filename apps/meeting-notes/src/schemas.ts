import { Schema } from "effect"

/** The Zoom `meeting.ended` webhook event that starts the workflow. */
export const MeetingEnded = Schema.Struct({
  event: Schema.Literal("meeting.ended"),
  event_ts: Schema.Number,
  payload: Schema.Struct({
    account_id: Schema.String,
    object: Schema.Struct({
      id: Schema.Union(Schema.Number, Schema.NonEmptyTrimmedString),
      uuid: Schema.String,
      host_id: Schema.String,
      topic: Schema.String,
      start_time: Schema.String,
      end_time: Schema.optional(Schema.String),
      duration: Schema.Number,
      timezone: Schema.optional(Schema.String)
    })
  })
})
export type MeetingEnded = typeof MeetingEnded.Type

/** Where the notes go, configured per deployment. */
export const Inputs = Schema.Struct({
  /** The Notion page under which each meeting's notes page is created. */
  notionParentPageId: Schema.NonEmptyTrimmedString,
  /** Post to this Slack channel instead of a direct message to the host. */
  slackChannel: Schema.optional(Schema.NonEmptyTrimmedString)
})
export type Inputs = typeof Inputs.Type

/** What one run produced. */
export interface Notes {
  readonly meetingId: string
  readonly topic: string
  readonly notionPageId: string
  readonly notionPageUrl: string | null
  readonly slack: { readonly channel: string; readonly ts: string }
  readonly summary: string
  readonly transcriptCues: number
}
