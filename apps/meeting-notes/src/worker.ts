import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RateLimits, Worker } from "@workway/worker"
import { Layer } from "effect"
import { inputs, integrations } from "./layer"
import { meetingNotes } from "./workflow"

export { RateLimitStore } from "@workway/worker"

/** The integrations over `fetch`, paced by limits every isolate shares when bound. */
const live = integrations.pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RateLimits.layer())
)

/** The meeting-notes Worker: `POST /execute` with a Zoom `meeting.ended` payload. */
export default Worker.make({ workflow: meetingNotes, layer: live, inputs })
