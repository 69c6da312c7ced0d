import { RunReport, Trigger, Workflow } from "@workway/core"
import { Ai, Notion, Slack, Zoom } from "@workway/integrations"
import { Effect } from "effect"
import { Inputs, MeetingEnded, type Notes } from "./schemas"

const { step } = RunReport

const instructions =
  "Summarise this meeting transcript for the people who attended: a two-sentence overview, " +
  "then the decisions taken and the action items with their owners."

/** Notion blocks of the notes page: the summary, then the transcript one cue per paragraph. */
const notesBlocks = (summary: string, transcript: Zoom.Transcript) => [
  Notion.Blocks.heading2("Summary"),
  ...Notion.Blocks.paragraphs(summary),
  Notion.Blocks.divider(),
  Notion.Blocks.heading2("Transcript"),
  ...transcript.cues.map((cue) => Notion.Blocks.paragraph(`${cue.speaker}: ${cue.text}`))
]

/**
 * When a Zoom meeting ends: fetch its details and transcript, summarise the transcript, write
 * the notes to a Notion page and tell the host on Slack where to find them.
 */
export const meetingNotes = Workflow.make({
  name: "meeting-notes",
  version: "1.0.0",
  trigger: Trigger.webhook({ service: "zoom", event: "meeting.ended", payload: MeetingEnded }),
  inputs: Inputs,
  run: ({ trigger, inputs }) =>
    Effect.gen(function* () {
      const zoom = yield* Zoom.Zoom
      const ai = yield* Ai.Ai
      const notion = yield* Notion.Notion
      const slack = yield* Slack.Slack
      const meetingId = String(trigger.payload.object.id)

      const [meeting, transcript] = yield* Effect.all(
        [zoom.meetings.get(meetingId), zoom.recordings.transcript(meetingId)],
        { concurrency: 2 }
      ).pipe(step("fetch meeting and transcript"))

      const hostEmail = meeting.hostEmail
      const [summary, host] = yield* Effect.all(
        [
          ai.summarize({ text: transcript.text, instructions }).pipe(step("summarise")),
          hostEmail === undefined
            ? Effect.succeed(undefined)
            : slack.users.lookupByEmail(hostEmail).pipe(step("find host on Slack"))
        ],
        { concurrency: 2 }
      )

      const page = yield* notion.pages
        .create({
          parent: { page_id: inputs.notionParentPageId },
          properties: {
            title: Notion.Properties.title(`${meeting.topic} — ${meeting.startTime ?? ""}`.trim())
          },
          children: notesBlocks(summary.text, transcript)
        })
        .pipe(step("write notes to Notion"))

      const channel = inputs.slackChannel ?? host?.id
      const where = page.url ?? `Notion page ${page.id}`
      const posted = yield* slack.chat
        .postMessage({
          channel: channel ?? "#general",
          text: `Notes from "${meeting.topic}" are ready: ${where}\n\n${summary.text}`
        })
        .pipe(step("tell the host on Slack"))

      return {
        meetingId,
        topic: meeting.topic,
        notionPageId: page.id,
        notionPageUrl: page.url ?? null,
        slack: { channel: posted.channel, ts: posted.ts },
        summary: summary.text,
        transcriptCues: transcript.cues.length
      } satisfies Notes
    })
})
