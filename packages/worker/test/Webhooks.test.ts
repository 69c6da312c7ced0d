import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import type { Worker } from "@workway/worker"
import * as Hmac from "@workway/worker/webhooks/Hmac"
import { Effect, Redacted } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { hmacHex, slackHeaders, stripeHeaders, unixNow, zoomHeaders } from "./fixtures/sign"
import { otherZoomIsolate, runsWith, secrets, wakeState, workers } from "./fixtures/webhook-workers"

type Env = Readonly<Record<string, unknown>>

const signedEnv: Env = { ...env, ...secrets }
const { WORKWAY_STATE: _state, ...withoutState } = signedEnv
const memoryEnv: Env = withoutState

const call = async (
  handler: Worker.Handler,
  path: string,
  init: RequestInit,
  bindings: Env = signedEnv
) => {
  const ctx = createExecutionContext()
  const response = await handler.fetch(
    new Request(`https://hooks.example.com${path}`, init),
    bindings,
    ctx
  )
  await waitOnExecutionContext(ctx)
  const text = await response.text()
  return { status: response.status, text, body: text === "" ? undefined : JSON.parse(text) }
}

const post = (
  handler: Worker.Handler,
  path: string,
  body: string,
  headers: Record<string, string>,
  bindings?: Env
) => call(handler, path, { method: "POST", body, headers }, bindings)

const zoomEvent = (uuid: string, event = "meeting.ended") =>
  JSON.stringify({
    event,
    event_ts: 1_700_000_000_123,
    payload: { account_id: "acct", object: { id: 85_001_234_567, uuid, topic: "Weekly sync" } }
  })

const slackEvent = (eventId: string, type = "app_mention") =>
  JSON.stringify({
    type: "event_callback",
    team_id: "T0001",
    event_id: eventId,
    event_time: 1_700_000_000,
    event: { type, text: `<@U0BOT> notes please ${eventId}`, user: "U0ADA00001" }
  })

const stripeEvent = (id: string, type = "customer.created") =>
  JSON.stringify({ id, object: "event", type, data: { object: { id: `cus_${id}` } } })

const refused = (result: { status: number; body: unknown; text: string }) => {
  expect(result.status).toBe(401)
  expect(result.body).toEqual({
    success: false,
    error: { type: "InvalidSignature", message: "The webhook signature could not be verified" }
  })
}

beforeAll(() => wakeState(env.WORKWAY_STATE))

describe("Zoom webhooks", () => {
  const secret = secrets.ZOOM_WEBHOOK_SECRET_TOKEN

  it("starts the workflow once for a meeting.ended event signed with the secret token", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ success: true, accepted: true, event: "meeting.ended" })
    expect(typeof result.body.runId).toBe("string")
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(1)
  })

  it("answers a redelivery of the same event as a duplicate without starting another run", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    const first = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    // Zoom signs every attempt anew: a later timestamp, the same body.
    const again = await post(
      workers.zoom,
      "/webhooks/zoom",
      body,
      zoomHeaders(secret, body, unixNow(1))
    )
    expect(first.body.accepted).toBe(true)
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({ duplicate: true, event: "meeting.ended" })
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(1)
  })

  it("answers a replay of the very same signed request as a duplicate", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    const headers = zoomHeaders(secret, body)
    await post(workers.zoom, "/webhooks/zoom", body, headers)
    const replayed = await post(workers.zoom, "/webhooks/zoom", body, headers)
    expect(replayed.body).toMatchObject({ duplicate: true })
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(1)
  })

  it("refuses a tampered body, a wrong secret, a stale or future timestamp and no signature", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    const tampered = body.replace("Weekly sync", "Weekly sync!")
    refused(await post(workers.zoom, "/webhooks/zoom", tampered, zoomHeaders(secret, body)))
    refused(await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders("not-the-secret", body)))
    refused(
      await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body, unixNow(-301)))
    )
    refused(
      await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body, unixNow(301)))
    )
    refused(
      await post(workers.zoom, "/webhooks/zoom", body, { "content-type": "application/json" })
    )
    const signature = zoomHeaders(secret, body)["x-zm-signature"]
    refused(
      await post(workers.zoom, "/webhooks/zoom", body, {
        "content-type": "application/json",
        "x-zm-signature": signature
      })
    )
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(0)
  })

  it("accepts a timestamp 4 minutes old by default and honours a configured tolerance", async () => {
    const body = zoomEvent(`zoom-${crypto.randomUUID()}`)
    const headers = zoomHeaders(secret, body, unixNow(-240))
    expect((await post(workers.zoom, "/webhooks/zoom", body, headers)).status).toBe(200)
    const strict = { ...signedEnv, ZOOM_WEBHOOK_TOLERANCE_SECONDS: "60" }
    const late = zoomEvent(`zoom-${crypto.randomUUID()}`)
    refused(
      await post(
        workers.zoom,
        "/webhooks/zoom",
        late,
        zoomHeaders(secret, late, unixNow(-90)),
        strict
      )
    )
  })

  it("answers endpoint.url_validation with the plain token and its HMAC, once signed", async () => {
    const body = JSON.stringify({
      event: "endpoint.url_validation",
      event_ts: 1_700_000_000_000,
      payload: { plainToken: "qgg8vlvZRS6UYooatFL8Aw" }
    })
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    expect(result.status).toBe(200)
    expect(result.body).toEqual({
      plainToken: "qgg8vlvZRS6UYooatFL8Aw",
      // HMAC-SHA256("zoom-secret-token-for-tests", "qgg8vlvZRS6UYooatFL8Aw"), computed by Node.
      encryptedToken: "9d644a9fdedca2004fd16a8fa586497eb15eb3fc2fedf6dd3b0c4748fb78d655"
    })
    expect(result.body.encryptedToken).toBe(hmacHex(secret, "qgg8vlvZRS6UYooatFL8Aw"))
    refused(await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders("guess", body)))
  })

  it("ignores other Zoom events without starting a run", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid, "meeting.started")
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    expect(result.status).toBe(200)
    expect(result.body).toMatchObject({ ignored: true, event: "meeting.started" })
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(0)
  })

  it("answers 400 with field paths when the event does not match the trigger's schema", async () => {
    const body = JSON.stringify({ event: "meeting.ended", event_ts: 1, payload: { object: {} } })
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    expect(result.status).toBe(400)
    expect(result.body.error.type).toBe("InvalidPayload")
    expect(result.body.error.issues).toContainEqual(
      expect.objectContaining({ path: "$.payload.object.uuid" })
    )
  })

  it("answers 500 ConfigurationError naming the secret when it is not configured", async () => {
    const { ZOOM_WEBHOOK_SECRET_TOKEN: _secret, ...unconfigured } = signedEnv
    const body = zoomEvent(`zoom-${crypto.randomUUID()}`)
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body), {
      ...unconfigured
    })
    expect(result.status).toBe(500)
    expect(result.body.error.type).toBe("ConfigurationError")
    expect(result.body.error.message).toContain("ZOOM_WEBHOOK_SECRET_TOKEN")
    const blank = { ...signedEnv, ZOOM_WEBHOOK_SECRET_TOKEN: "" }
    const unsigned = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders("", body), blank)
    expect(unsigned.status).toBe(500)
  })
})

describe("Slack webhooks", () => {
  const secret = secrets.SLACK_SIGNING_SECRET

  it("starts the workflow once for an app_mention event, and deduplicates its retry", async () => {
    const eventId = `Ev${crypto.randomUUID()}`
    const body = slackEvent(eventId)
    const first = await post(workers.slack, "/webhooks/slack", body, slackHeaders(secret, body))
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ accepted: true, event: "app_mention" })
    const retry = await post(workers.slack, "/webhooks/slack", body, {
      ...slackHeaders(secret, body, unixNow(2)),
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout"
    })
    expect(retry.body).toMatchObject({ duplicate: true })
    expect(runsWith("slack-mention", eventId)).toHaveLength(1)
  })

  it("refuses a tampered body, a wrong secret and a timestamp over 5 minutes old", async () => {
    const eventId = `Ev${crypto.randomUUID()}`
    const body = slackEvent(eventId)
    const tampered = body.replace("notes please", "delete everything")
    refused(await post(workers.slack, "/webhooks/slack", tampered, slackHeaders(secret, body)))
    refused(await post(workers.slack, "/webhooks/slack", body, slackHeaders("wrong", body)))
    refused(
      await post(workers.slack, "/webhooks/slack", body, slackHeaders(secret, body, unixNow(-301)))
    )
    expect(runsWith("slack-mention", eventId)).toHaveLength(0)
  })

  it("answers url_verification with its challenge only when signed", async () => {
    const body = JSON.stringify({
      token: "legacy",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification"
    })
    const result = await post(workers.slack, "/webhooks/slack", body, slackHeaders(secret, body))
    expect(result.status).toBe(200)
    expect(result.body).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    })
    refused(
      await post(workers.slack, "/webhooks/slack", body, { "content-type": "application/json" })
    )
  })

  it("ignores other events", async () => {
    const eventId = `Ev${crypto.randomUUID()}`
    const body = slackEvent(eventId, "reaction_added")
    const result = await post(workers.slack, "/webhooks/slack", body, slackHeaders(secret, body))
    expect(result.body).toMatchObject({ ignored: true, event: "reaction_added" })
  })

  it("starts on an interactive payload sent as a form and acknowledges with an empty 200", async () => {
    const triggerId = `trigger-${crypto.randomUUID()}`
    const payload = JSON.stringify({ type: "block_actions", trigger_id: triggerId, actions: [] })
    const body = new URLSearchParams({ payload }).toString()
    const form = "application/x-www-form-urlencoded"
    const result = await post(
      workers.slackActions,
      "/webhooks/slack",
      body,
      slackHeaders(secret, body, unixNow(), form)
    )
    expect(result.status).toBe(200)
    expect(result.text).toBe("")
    expect(runsWith("slack-actions", triggerId)).toHaveLength(1)
    refused(
      await post(
        workers.slackActions,
        "/webhooks/slack",
        body,
        slackHeaders("x", body, unixNow(), form)
      )
    )
  })

  it("reads a slash command's form as the slash_command event", async () => {
    const body = new URLSearchParams({ command: "/notes", text: "last meeting" }).toString()
    const headers = slackHeaders(secret, body, unixNow(), "application/x-www-form-urlencoded")
    const result = await post(workers.slackActions, "/webhooks/slack", body, headers)
    expect(result.status).toBe(200)
    expect(result.text).toBe("")
  })

  it("answers 400 naming the limit for a signed interactive payload nested too deep", async () => {
    const payload = `{"type":"block_actions","trigger_id":"t","state":${"[".repeat(80)}${"]".repeat(80)}}`
    const body = new URLSearchParams({ payload }).toString()
    const headers = slackHeaders(secret, body, unixNow(), "application/x-www-form-urlencoded")
    const result = await post(workers.slackActions, "/webhooks/slack", body, headers)
    expect(result.status).toBe(400)
    expect(result.body.error.type).toBe("LimitExceeded")
    expect(result.body.error.message).toContain("maxDepth is 64")
  })
})

describe("Stripe webhooks", () => {
  const secret = secrets.STRIPE_WEBHOOK_SECRET

  it("starts the workflow once per event id, however often Stripe delivers it", async () => {
    const id = `evt_${crypto.randomUUID()}`
    const body = stripeEvent(id)
    const first = await post(
      workers.stripe,
      "/webhooks/stripe",
      body,
      stripeHeaders([secret], body)
    )
    const again = await post(
      workers.stripe,
      "/webhooks/stripe",
      body,
      stripeHeaders([secret], body, unixNow(60))
    )
    expect(first.body).toMatchObject({ accepted: true, event: "customer.created" })
    expect(again.body).toMatchObject({ duplicate: true })
    expect(runsWith("stripe-customer", id)).toHaveLength(1)
  })

  it("accepts a header whose v1 signatures include one made with the current secret", async () => {
    const id = `evt_${crypto.randomUUID()}`
    const body = stripeEvent(id)
    const headers = stripeHeaders(["whsec_rolled-old-secret", secret], body)
    const result = await post(workers.stripe, "/webhooks/stripe", body, headers)
    expect(result.body).toMatchObject({ accepted: true })
  })

  it("refuses a tampered body, a wrong secret, a stale timestamp and a header without v1", async () => {
    const id = `evt_${crypto.randomUUID()}`
    const body = stripeEvent(id)
    const tampered = body.replace("customer.created", "customer.deleted")
    refused(await post(workers.stripe, "/webhooks/stripe", tampered, stripeHeaders([secret], body)))
    refused(await post(workers.stripe, "/webhooks/stripe", body, stripeHeaders(["whsec_x"], body)))
    refused(
      await post(
        workers.stripe,
        "/webhooks/stripe",
        body,
        stripeHeaders([secret], body, unixNow(-301))
      )
    )
    refused(
      await post(workers.stripe, "/webhooks/stripe", body, {
        "content-type": "application/json",
        "stripe-signature": `t=${unixNow()},v0=${hmacHex(secret, `${unixNow()}.${body}`)}`
      })
    )
    expect(runsWith("stripe-customer", id)).toHaveLength(0)
  })

  it("verifies a signature vector computed by Node over a fixed timestamp", async () => {
    const data = new TextEncoder().encode('1700000000.{"id":"evt_1"}')
    const vector = "7c404bc7393a61dff8c7ec433dbd1b3237120d5efac7df8033ee67dce177c8a8"
    const key = Redacted.make(secret)
    expect(await Effect.runPromise(Hmac.verifyAny(key, data, [vector]))).toBe(true)
    expect(await Effect.runPromise(Hmac.verifyAny(key, data, [vector.replace("7c", "7d")]))).toBe(
      false
    )
  })

  it("ignores other event types", async () => {
    const body = stripeEvent(`evt_${crypto.randomUUID()}`, "invoice.paid")
    const result = await post(
      workers.stripe,
      "/webhooks/stripe",
      body,
      stripeHeaders([secret], body)
    )
    expect(result.body).toMatchObject({ ignored: true, event: "invoice.paid" })
  })
})

describe("webhook routes", () => {
  const secret = secrets.ZOOM_WEBHOOK_SECRET_TOKEN

  it("records event ids in WORKWAY_STATE, so another isolate sees the first delivery", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    const elsewhere = await post(
      otherZoomIsolate,
      "/webhooks/zoom",
      body,
      zoomHeaders(secret, body)
    )
    expect(elsewhere.body).toMatchObject({ duplicate: true })
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(1)
  })

  it("without WORKWAY_STATE deduplicates within one isolate only", async () => {
    const uuid = `zoom-${crypto.randomUUID()}`
    const body = zoomEvent(uuid)
    const deliver = (handler: Worker.Handler) =>
      post(handler, "/webhooks/zoom", body, zoomHeaders(secret, body), memoryEnv)
    expect((await deliver(workers.zoom)).body).toMatchObject({ accepted: true })
    expect((await deliver(workers.zoom)).body).toMatchObject({ duplicate: true })
    expect((await deliver(otherZoomIsolate)).body).toMatchObject({ accepted: true })
    expect(runsWith("zoom-meeting-ended", uuid)).toHaveLength(2)
  })

  it("answers 415 for a media type or content encoding the vendor does not send", async () => {
    const body = zoomEvent(`zoom-${crypto.randomUUID()}`)
    const text = await post(workers.zoom, "/webhooks/zoom", body, {
      ...zoomHeaders(secret, body),
      "content-type": "text/plain"
    })
    expect(text.status).toBe(415)
    expect(text.body.error.type).toBe("UnsupportedMediaType")
    const form = await post(workers.zoom, "/webhooks/zoom", body, {
      ...zoomHeaders(secret, body),
      "content-type": "application/x-www-form-urlencoded"
    })
    expect(form.status).toBe(415)
    const gzip = await post(workers.zoom, "/webhooks/zoom", body, {
      ...zoomHeaders(secret, body),
      "content-encoding": "gzip"
    })
    expect(gzip.status).toBe(415)
    expect(gzip.body.error.type).toBe("UnsupportedEncoding")
  })

  it("answers 413 for a body over the limit before verifying it", async () => {
    const body = JSON.stringify({ event: "meeting.ended", padding: "x".repeat(70 * 1024) })
    const result = await post(workers.zoom, "/webhooks/zoom", body, zoomHeaders(secret, body))
    expect(result.status).toBe(413)
    expect(result.body.error.type).toBe("TooLarge")
  })

  it("answers 404 for a vendor the workflow does not listen to and 405 for GET", async () => {
    const stripe = await post(workers.zoom, "/webhooks/stripe", "{}", {
      "content-type": "application/json"
    })
    expect(stripe.status).toBe(404)
    expect((await post(workers.zoom, "/webhooks/github", "{}", {})).status).toBe(404)
    expect((await post(workers.manual, "/webhooks/zoom", "{}", {})).status).toBe(404)
    const get = await call(workers.zoom, "/webhooks/zoom", { method: "GET" })
    expect(get.status).toBe(405)
    expect(get.body.error.type).toBe("MethodNotAllowed")
  })

  it("needs no bearer token: the vendor's signature is the credential", async () => {
    const body = zoomEvent(`zoom-${crypto.randomUUID()}`)
    const guarded = { ...signedEnv, WORKWAY_API_TOKEN: "api-token-for-tests" }
    const result = await post(
      workers.zoom,
      "/webhooks/zoom",
      body,
      zoomHeaders(secret, body),
      guarded
    )
    expect(result.body).toMatchObject({ accepted: true })
  })
})
