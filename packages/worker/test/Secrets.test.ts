import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import { Samples } from "@workway/testing"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { canaries, fakes, handler, vars } from "./fixtures/secrets-worker"
import { hmacHex, zoomHeaders } from "./fixtures/sign"
import { wakeState } from "./fixtures/webhook-workers"

type Env = Readonly<Record<string, unknown>>

/** Credentials the fakes refuse: they must not leak from a failed call either. */
const wrong = {
  ZOOM_CLIENT_SECRET: "canary-wrong-zoom-client-51d7a3",
  NOTION_TOKEN: "secret_canary-wrong-notion-0e94b6"
}
const secretValues = [...Object.values(canaries), ...Object.values(wrong)]

const configured: Env = { ...env, ...vars }
const wrongZoom: Env = { ...configured, ZOOM_CLIENT_SECRET: wrong.ZOOM_CLIENT_SECRET }
const wrongNotion: Env = { ...configured, NOTION_TOKEN: wrong.NOTION_TOKEN }
const { NOTION_TOKEN: _notion, ...withoutNotion } = configured
const missingNotion: Env = withoutNotion

/** Everything the Worker said: log lines and console output, responses and their headers. */
const seen: Array<string> = []
const spies: Array<{ mockRestore: () => void }> = []

beforeAll(async () => {
  await wakeState(env.WORKWAY_STATE)
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console)
    spies.push(
      vi.spyOn(console, level).mockImplementation((...args: Array<unknown>) => {
        seen.push(
          args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" ")
        )
        original(...args)
      })
    )
  }
})

afterAll(() => {
  for (const spy of spies) spy.mockRestore()
})

const call = async (path: string, init: RequestInit, bindings: Env = configured) => {
  const ctx = createExecutionContext()
  const response = await handler.fetch(
    new Request(`https://notes.example.com${path}`, init),
    bindings,
    ctx
  )
  await waitOnExecutionContext(ctx)
  const text = await response.text()
  seen.push(text, JSON.stringify([...response.headers]))
  return { status: response.status, text, body: text === "" ? undefined : JSON.parse(text) }
}

const bearer = { authorization: `Bearer ${canaries.WORKWAY_API_TOKEN}` }
const execute = (bindings?: Env) =>
  call(
    "/execute",
    { method: "POST", body: JSON.stringify(Samples.meetingEndedPayload), headers: bearer },
    bindings
  )

/** A signed delivery of the sample meeting with a fresh uuid, so it is never a duplicate. */
const deliver = (bindings?: Env, secret: string = canaries.ZOOM_WEBHOOK_SECRET_TOKEN) => {
  const event = structuredClone(Samples.meetingEndedPayload) as unknown as {
    payload: { object: { uuid: string } }
  }
  event.payload.object.uuid = `${crypto.randomUUID()}==`
  const body = JSON.stringify(event)
  return call(
    "/webhooks/zoom",
    { method: "POST", body, headers: zoomHeaders(secret, body) },
    bindings
  )
}

describe("secrets stay secret", () => {
  it("runs the meeting-notes path from a signed webhook and from /execute", async () => {
    const pagesBefore = fakes.notion.state.pages.size
    const accepted = await deliver()
    expect(accepted.body).toMatchObject({ accepted: true })
    const executed = await execute()
    expect(executed.status).toBe(200)
    expect(executed.body.report.integrations.zoom.calls).toBeGreaterThan(0)
    expect(fakes.notion.state.pages.size).toBe(pagesBefore + 2)

    const inspector = await call("/__workway?format=json", { headers: bearer })
    expect(inspector.status).toBe(200)
    const run = await call(`/__workway/runs/${executed.body.report.runId}?format=json`, {
      headers: bearer
    })
    expect(run.status).toBe(200)
  })

  it("answers Zoom's endpoint validation with an HMAC of the token, not the token", async () => {
    const body = JSON.stringify({
      event: "endpoint.url_validation",
      event_ts: Date.now(),
      payload: { plainToken: "plain-token-to-hash" }
    })
    const headers = zoomHeaders(canaries.ZOOM_WEBHOOK_SECRET_TOKEN, body)
    const answer = await call("/webhooks/zoom", { method: "POST", body, headers })
    expect(answer.body.encryptedToken).toBe(
      hmacHex(canaries.ZOOM_WEBHOOK_SECRET_TOKEN, "plain-token-to-hash")
    )
  })

  it("refuses forged webhooks and wrong API tokens", async () => {
    expect((await deliver(configured, "canary-zoom-secret-7f3a5be1c9d5")).status).toBe(401)
    const forged = await call("/execute", {
      method: "POST",
      body: "{}",
      headers: { authorization: `Bearer ${canaries.WORKWAY_API_TOKEN.slice(0, -1)}0` }
    })
    expect(forged.status).toBe(401)
  })

  it("reports failed calls made with refused credentials without the credentials", async () => {
    const zoom = await execute(wrongZoom)
    expect(zoom.status).toBe(502)
    expect(zoom.body.error).toMatchObject({ type: "IntegrationError", service: "zoom" })
    const notion = await execute(wrongNotion)
    expect(notion.status).toBe(502)
    expect(notion.body.error).toMatchObject({ type: "IntegrationError", service: "notion" })
    expect((await deliver(wrongNotion)).body).toMatchObject({ accepted: true })
  })

  it("names a missing secret without printing the others", async () => {
    const missing = await execute(missingNotion)
    expect(missing.status).toBe(500)
    expect(missing.body.error.message).toContain("NOTION_TOKEN")
    const { ZOOM_WEBHOOK_SECRET_TOKEN: _secret, ...unsigned } = configured
    const refused = await deliver(unsigned)
    expect(refused.status).toBe(500)
    expect(refused.body.error.message).toContain("ZOOM_WEBHOOK_SECRET_TOKEN")
  })

  it("never shows a secret value in any log line, response, report or error seen above", () => {
    const logs = seen.join("\n")
    // The capture works: the runs above were logged, failures included.
    expect(logs).toContain("run succeeded")
    expect(logs).toContain("run failed")
    expect(logs).toContain("webhook signature refused")
    for (const value of secretValues) {
      expect(logs.includes(value), `${value.slice(0, 12)}... appeared`).toBe(false)
    }
  })
})
