import { Worker } from "@workway/worker"
import { live } from "./layer"
import { meetingNotes } from "./workflow"

/** The meeting-notes Worker: `POST /execute` with a Zoom `meeting.ended` payload. */
export default Worker.make({
  workflow: meetingNotes,
  layer: live,
  inputs: (env) => ({
    notionParentPageId: env.NOTION_PARENT_PAGE_ID,
    slackChannel: env.SLACK_CHANNEL
  })
})
