import { describe, expect, it } from "@effect/vitest"
import { Workflow } from "@workway/core"
import { RateLimiter } from "@workway/http"
import { Ai, Notion, Slack, Zoom } from "@workway/integrations"
import { Fakes, Samples } from "@workway/testing"
import { Effect, Layer, Redacted } from "effect"
import { meetingNotes } from "../src/workflow"

/** The workflow's integrations pointed at in-process fakes through their real vendor URLs. */
const withFakes = (fakes: Fakes.Fakes) =>
  Layer.mergeAll(
    Zoom.layer({
      accountId: Samples.credentials.zoom.accountId,
      clientId: Samples.credentials.zoom.clientId,
      clientSecret: Redacted.make(Samples.credentials.zoom.clientSecret)
    }),
    Notion.layer({ token: Redacted.make(Samples.credentials.notion.token) }),
    Slack.layer({ token: Redacted.make(Samples.credentials.slack.token) }),
    Ai.layer({ apiKey: Redacted.make(Samples.credentials.ai.apiKey) })
  ).pipe(Layer.provide(fakes.layer), Layer.provide(RateLimiter.layerMemory))

const inputs = { notionParentPageId: Samples.notionParentPageId }

describe("meeting-notes", () => {
  it.effect("writes the summary and transcript to Notion and tells the host on Slack", () => {
    const fakes = Fakes.make()
    return Effect.gen(function* () {
      const execution = yield* Workflow.execute(meetingNotes, {
        trigger: Samples.meetingEndedPayload,
        inputs
      })
      if (!execution.success) throw new Error(`run failed: ${JSON.stringify(execution.error)}`)
      const { result, report } = execution

      const page = fakes.notion.state.pages.get(result.notionPageId)
      expect(page?.parent).toMatchObject({ page_id: Samples.notionParentPageId })
      const children = fakes.notion.state.children.get(result.notionPageId) ?? []
      // Two headings and a divider, the one-paragraph summary, then one paragraph per cue.
      expect(children.length).toBe(3 + 1 + Samples.transcriptCues.length)
      expect(result.summary.startsWith("Summary: ")).toBe(true)
      expect(result.summary).not.toContain("Summarise this meeting")

      expect(result.slack.channel.startsWith("D")).toBe(true)
      const lookups = ["GET", "POST"].map(
        (method) => fakes.slack.stats.byRoute[`${method} /api/users.lookupByEmail`] ?? 0
      )
      expect(lookups[0]! + lookups[1]!).toBe(1)
      expect(report.integrations.slack?.calls).toBe(2)
      expect(report.steps.map((step) => step.name)).toContain("write notes to Notion")
    }).pipe(Effect.provide(withFakes(fakes)))
  })

  it.effect("fails with a typed Zoom error when the meeting does not exist", () => {
    const fakes = Fakes.make()
    const unknown = structuredClone(Samples.meetingEndedPayload) as {
      payload: { object: { id: number } }
    }
    unknown.payload.object.id = 11111111111
    const pagesBefore = fakes.notion.state.pages.size
    return Effect.gen(function* () {
      const execution = yield* Workflow.execute(meetingNotes, { trigger: unknown, inputs })
      expect(execution.success).toBe(false)
      if (execution.success) return
      expect(execution.error).toMatchObject({
        _tag: "IntegrationError",
        service: "zoom",
        reason: "NotFound"
      })
      expect(fakes.notion.state.pages.size).toBe(pagesBefore)
      expect(fakes.slack.stats.byRoute["POST /api/chat.postMessage"] ?? 0).toBe(0)
    }).pipe(Effect.provide(withFakes(fakes)))
  })
})
