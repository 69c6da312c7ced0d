import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Fakes from "../src/Fakes"
import * as Samples from "../src/Samples"

const { accountId, clientId, clientSecret } = Samples.credentials.zoom
const basic = `Basic ${btoa(`${clientId}:${clientSecret}`)}`

const json = async <A>(response: Response): Promise<A> => (await response.json()) as A

describe("Fakes.serveAll", () => {
  it("serves each vendor on its own loopback port, enough to run the meeting-notes flow", async () => {
    const fakes = Fakes.make()
    const { urls, close } = await fakes.serveAll()
    try {
      const ports = Object.values(urls).map((url) => new URL(url).port)
      expect(new Set(ports).size).toBe(4)

      const grant = await fetch(
        `${urls.zoom}/oauth/token?grant_type=account_credentials&account_id=${accountId}`,
        { method: "POST", headers: { authorization: basic } }
      )
      const bearer = {
        authorization: `Bearer ${(await json<{ access_token: string }>(grant)).access_token}`
      }
      const recordings = await json<{
        recording_files: Array<{ file_type: string; download_url: string }>
      }>(
        await fetch(`${urls.zoom}/v2/meetings/${Samples.meeting.id}/recordings`, {
          headers: bearer
        })
      )
      const files = recordings.recording_files
      const downloadUrl = files.find((file) => file.file_type === "TRANSCRIPT")!.download_url
      const transcript = await (await fetch(downloadUrl, { headers: bearer })).text()

      const completion = await json<{ choices: Array<{ message: { content: string } }> }>(
        await fetch(`${urls.ai}/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${Samples.credentials.ai.apiKey}` },
          body: JSON.stringify({ model: "m", messages: [{ role: "user", content: transcript }] })
        })
      )
      const summary = completion.choices[0]!.message.content

      const page = await fetch(`${urls.notion}/v1/pages`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${Samples.credentials.notion.token}`,
          "notion-version": "2025-09-03",
          "content-type": "application/json"
        },
        body: JSON.stringify({
          parent: { page_id: Samples.notionParentPageId },
          properties: { title: { title: [{ text: { content: Samples.meeting.topic } }] } },
          children: [{ paragraph: { rich_text: [{ text: { content: summary } }] } }]
        })
      })
      const slackHeaders = {
        authorization: `Bearer ${Samples.credentials.slack.token}`,
        "content-type": "application/json"
      }
      const host = await json<{ user: { id: string } }>(
        await fetch(`${urls.slack}/api/users.lookupByEmail?email=${Samples.host.email}`, {
          headers: slackHeaders
        })
      )
      const posted = await json<{ ok: boolean; channel: string }>(
        await fetch(`${urls.slack}/api/chat.postMessage`, {
          method: "POST",
          headers: slackHeaders,
          body: JSON.stringify({ channel: host.user.id, text: summary })
        })
      )

      expect(downloadUrl.startsWith(`${urls.zoom}/rec/download/`)).toBe(true)
      expect(summary).toMatch(/^Summary: Ada Lovelace: Good morning everyone/)
      expect(page.status).toBe(200)
      expect(posted.ok).toBe(true)
      expect(fakes.zoom.state.tokenGrants).toBe(1)
      expect(fakes.notion.state.pages.size).toBe(2)
      expect(fakes.slack.state.messages.get(posted.channel)?.[0]?.text).toBe(summary)
      expect(fakes.ai.stats.requests).toBe(1)
    } finally {
      await close()
    }
  })

  it("gives every fake its own bucket from shared knobs", async () => {
    const fakes = Fakes.make({ rateLimit: { rate: 1, burst: 1 }, now: () => 0 })
    const call = (url: string) => fakes.fetch(url, { headers: { authorization: "Bearer nope" } })

    const statuses = [
      (await call("https://slack.com/api/users.info")).status,
      (await call("https://api.openai.com/v1/chat/completions")).status,
      (await call("https://slack.com/api/users.info")).status
    ]

    expect(statuses).toEqual([200, 404, 429])
  })
})

const Recordings = Schema.Struct({
  uuid: Schema.String,
  recording_files: Schema.Array(
    Schema.Struct({ file_type: Schema.String, download_url: Schema.String })
  )
})

const fakes = Fakes.make()

layer(fakes.layer)("Fakes.layer", (it) => {
  it.effect("answers every vendor origin in process through HttpClient", () =>
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const grant = yield* client
        .execute(
          HttpClientRequest.post(
            `https://zoom.us/oauth/token?grant_type=account_credentials&account_id=${accountId}`
          ).pipe(HttpClientRequest.setHeader("authorization", basic))
        )
        .pipe(
          Effect.flatMap(
            HttpClientResponse.schemaBodyJson(Schema.Struct({ access_token: Schema.String }))
          )
        )
      const zoom = client.pipe(
        HttpClient.mapRequest(HttpClientRequest.bearerToken(grant.access_token))
      )

      const recordings = yield* zoom
        .get(`https://api.zoom.us/v2/meetings/${Samples.meeting.id}/recordings`)
        .pipe(Effect.flatMap(HttpClientResponse.schemaBodyJson(Recordings)))
      const transcript = recordings.recording_files.find((file) => file.file_type === "TRANSCRIPT")!
      const vtt = yield* zoom.get(transcript.download_url).pipe(Effect.flatMap((r) => r.text))
      const notion = yield* client.execute(
        HttpClientRequest.get(`https://api.notion.com/v1/users/${Samples.host.notionUserId}`).pipe(
          HttpClientRequest.bearerToken(Samples.credentials.notion.token),
          HttpClientRequest.setHeader("Notion-Version", "2022-06-28")
        )
      )

      expect(recordings.uuid).toBe(Samples.meeting.uuid)
      expect(transcript.download_url.startsWith("https://zoom.us/rec/download/")).toBe(true)
      expect(vtt).toContain("Grace Hopper:")
      expect(notion.status).toBe(200)
      expect(fakes.zoom.stats.byRoute["GET /rec/download/:fileId"]).toBe(1)
    })
  )
})

describe("Samples", () => {
  it("describe one meeting consistently across the webhook, Zoom and Slack", () => {
    const object = Samples.meetingEndedPayload.payload.object
    const speakers = new Set(Samples.transcriptCues.map((cue) => cue.speaker))

    expect(Samples.meetingEndedPayload.event).toBe("meeting.ended")
    expect(object).toMatchObject({
      id: 85746065432,
      uuid: Samples.meeting.uuid,
      host_id: Samples.host.zoomUserId,
      topic: "Weekly product sync",
      duration: 30
    })
    expect(Samples.meetingEndedPayload.payload.account_id).toBe(accountId)
    expect(Samples.slackUsers.find((user) => user.id === Samples.host.slackUserId)?.email).toBe(
      Samples.meeting.host_email
    )
    expect(Samples.transcriptCues.length).toBeGreaterThanOrEqual(18)
    expect(speakers.size).toBe(3)
  })
})
