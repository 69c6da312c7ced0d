import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RateLimiter } from "@workway/http"
import { Ai, Notion, Slack, Zoom } from "@workway/integrations"
import { Layer } from "effect"

/** The integrations meeting-notes uses, configured from the environment, over `fetch`. */
export const integrations = Layer.mergeAll(Zoom.layer(), Ai.layer(), Notion.layer(), Slack.layer())

/** Everything the workflow needs to run against the real (or configured) vendor URLs. */
export const live = integrations.pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RateLimiter.layerMemory)
)

/** The workflow's inputs, from the Worker's vars (or the environment when run in Node). */
export const inputs = (env: Readonly<Record<string, unknown>>) => ({
  notionParentPageId: env.NOTION_PARENT_PAGE_ID,
  slackChannel: env.SLACK_CHANNEL
})
