import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Dev } from "workway"

const appDir = path.resolve(__dirname, "..")
const payload: unknown = JSON.parse(fs.readFileSync(path.join(appDir, "test-payload.json"), "utf8"))

let scope: Scope.CloseableScope
let server: Dev.DevServer

beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
  server = await Effect.runPromise(
    Dev.start({ appDir, port: 0, fakes: true, env: {} }).pipe(Scope.extend(scope))
  )
})

afterAll(async () => {
  await Effect.runPromise(Scope.close(scope, Exit.void))
})

const post = (body: string, init: RequestInit = {}) =>
  server.fetch("/execute", { method: "POST", body, ...init })

describe("meeting-notes in workerd against the loopback fakes", () => {
  it("turns the sample meeting into a Notion page and a Slack message to the host", async () => {
    const { status, body } = await server.execute(payload)
    const answer = body as {
      success: boolean
      result: { notionPageId: string; slack: { channel: string }; transcriptCues: number }
      report: { integrations: Record<string, { calls: number }> }
    }
    expect(status).toBe(200)
    expect(answer.success).toBe(true)
    expect(Object.keys(answer.report.integrations).sort()).toEqual([
      "ai",
      "notion",
      "slack",
      "zoom"
    ])

    const fakes = server.fakes
    if (fakes === undefined) throw new Error("expected the fakes to be served")
    const page = fakes.notion.state.pages.get(answer.result.notionPageId)
    expect(page).toBeDefined()
    expect(answer.result.transcriptCues).toBeGreaterThan(0)
    const dm = fakes.slack.state.messages.get(answer.result.slack.channel) ?? []
    expect(dm.some((message) => String(message.text).includes("Weekly product sync"))).toBe(true)
  })

  it("answers 400 with the field path for a payload that does not match the schema", async () => {
    const broken = structuredClone(payload) as { payload: { object: { id: unknown } } }
    broken.payload.object.id = { not: "an id" }
    const response = await post(JSON.stringify(broken))
    const body = (await response.json()) as { error: { issues: Array<{ path: string }> } }
    expect(response.status).toBe(400)
    expect(body.error.issues.map((issue) => issue.path)).toContain("$.payload.object.id")
  })

  it("answers 400 for unparseable JSON, 405 for a wrong method, 404 for an unknown path", async () => {
    expect((await post("{ nope")).status).toBe(400)
    expect((await server.fetch("/execute")).status).toBe(405)
    const unknown = await server.fetch("/somewhere")
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get("content-type")).toContain("application/json")
  })

  it("answers 413 for a body over the limit", async () => {
    const response = await post(JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) }))
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe("TooLarge")
  })
})
