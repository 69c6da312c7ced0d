import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeGmail from "../src/FakeGmail"
import { type Client, manualClock, transports } from "./support"

const api = "https://gmail.googleapis.com"
const batchHost = "https://www.googleapis.com"
const auth = { authorization: `Bearer ${FakeGmail.credentials.accessToken}` }

interface Listed {
  readonly messages?: Array<{ id: string; threadId: string }>
  readonly nextPageToken?: string
  readonly resultSizeEstimate: number
}

const batchBody = (boundary: string, targets: ReadonlyArray<string>) =>
  `${targets
    .map(
      (target, index) =>
        `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: ` +
        `<item-${index}>\r\n\r\nGET ${target} HTTP/1.1\r\n\r\n`
    )
    .join("")}--${boundary}--\r\n`

/** The Content-IDs and statuses of a batch answer, in the order they came. */
const batchParts = (text: string, contentType: string) => {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1] ?? ""
  return text
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => ({
      id: /Content-ID: <([^>]+)>/i.exec(part)?.[1],
      status: Number(/HTTP\/1\.1 (\d{3})/.exec(part)?.[1]),
      body: JSON.parse(part.slice(part.indexOf("{"), part.lastIndexOf("}") + 1)) as Record<
        string,
        unknown
      >
    }))
}

describe.each(transports)("FakeGmail over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeGmail.Options = {}) => {
    const fake = FakeGmail.make(options)
    client = await connect(fake)
    return fake
  }

  const get = (path: string, headers: Record<string, string> = auth) =>
    client.send("GET", client.url(api, `/gmail/v1/users/me${path}`), { headers })

  it("refuses a call without a valid bearer token with Google's 401", async () => {
    await start()

    const reply = await get("/labels", { authorization: "Bearer ya29.wrong" })

    expect(reply.status).toBe(401)
    expect(reply.body).toMatchObject({
      error: { code: 401, status: "UNAUTHENTICATED", errors: [{ reason: "authError" }] }
    })
  })

  it("lists ids and threads only, 100 by default, without a next token on the last page", async () => {
    await start({ messages: FakeGmail.sampleMessages(130) })

    const first = (await get("/messages")).body as Listed
    const second = (await get(`/messages?pageToken=${first.nextPageToken}`)).body as Listed
    const capped = (await get("/messages?maxResults=900")).body as Listed

    expect(first.messages).toHaveLength(100)
    expect(Object.keys(first.messages![0]!).sort()).toEqual(["id", "threadId"])
    expect(first.resultSizeEstimate).toBe(130)
    expect(second.messages).toHaveLength(30)
    expect(second.nextPageToken).toBeUndefined()
    expect(capped.messages).toHaveLength(130)
  })

  it("filters by labels and by from:/subject: terms, and refuses a foreign page token", async () => {
    const fake = await start({ messages: FakeGmail.sampleMessages(40) })

    const unread = (await get("/messages?labelIds=UNREAD&labelIds=INBOX")).body as Listed
    const search = (await get(`/messages?q=${encodeURIComponent("from:ada subject:sync")}`))
      .body as Listed
    const token = ((await get("/messages?maxResults=5")).body as Listed).nextPageToken
    const foreign = await get(`/messages?q=invoice&pageToken=${token}`)

    const all = [...fake.state.messages.values()]
    expect(unread.messages).toHaveLength(all.filter((m) => m.labelIds.includes("UNREAD")).length)
    expect(search.messages?.length).toBe(
      all.filter((m) => m.from.includes("ada") && m.subject.includes("sync")).length
    )
    expect(foreign.status).toBe(400)
  })

  it("answers messages.get in each format and 404s an unknown id", async () => {
    const fake = await start()
    const id = [...fake.state.messages.keys()][0]!

    const minimal = (await get(`/messages/${id}?format=minimal`)).body as Record<string, unknown>
    const full = (await get(`/messages/${id}`)).body as { payload: { body: { data: string } } }
    const raw = (await get(`/messages/${id}?format=raw`)).body as { raw: string }
    const missing = await get("/messages/18c000000000ffff")

    expect(Object.keys(minimal).sort()).toEqual(
      ["historyId", "id", "internalDate", "labelIds", "sizeEstimate", "snippet", "threadId"].sort()
    )
    expect(full.payload.body.data).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(raw.raw).not.toMatch(/[+/=]/)
    expect(missing.status).toBe(404)
  })

  it("sends a base64url RFC 822 message and records it in the history", async () => {
    const fake = await start({ messages: FakeGmail.sampleMessages(2) })
    const start_ = fake.state.historyId
    const raw = btoa("To: grace@example.com\r\nSubject: Hello\r\n\r\nHi Grace")
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "")

    const sent = await client.send("POST", client.url(api, "/gmail/v1/users/me/messages/send"), {
      headers: auth,
      body: { raw }
    })
    const history = await get(`/history?startHistoryId=${start_}`)

    expect(sent.body).toMatchObject({ labelIds: ["SENT"] })
    const id = (sent.body as { id: string }).id
    expect(fake.state.messages.get(id)).toMatchObject({ subject: "Hello", text: "Hi Grace" })
    expect(history.body).toMatchObject({
      history: [{ messagesAdded: [{ message: { id } }] }],
      historyId: String(fake.state.historyId)
    })
  })

  it("answers a multipart batch in any order, each part matched by Content-ID", async () => {
    const fake = await start({ random: () => 0 })
    const ids = [...fake.state.messages.keys()].slice(0, 4)
    const targets = [...ids, "18c000000000ffff"].map(
      (id) => `/gmail/v1/users/me/messages/${id}?format=minimal`
    )

    const reply = await client.send("POST", client.url(batchHost, "/batch/gmail/v1"), {
      headers: { ...auth, "content-type": "multipart/mixed; boundary=b0undary" },
      body: batchBody("b0undary", targets)
    })

    const parts = batchParts(reply.text, reply.headers.get("content-type") ?? "")
    expect(parts.map((part) => part.id)).not.toEqual(targets.map((_, i) => `response-item-${i}`))
    for (const [index, id] of ids.entries()) {
      const part = parts.find((candidate) => candidate.id === `response-item-${index}`)
      expect(part).toMatchObject({ status: 200, body: { id } })
    }
    expect(parts.find((part) => part.id === "response-item-4")?.status).toBe(404)
    expect(fake.state.batchedCalls).toBe(5)
    expect(fake.state.unitsSpent).toBe(25)
  })

  it("refuses a batch of more than 100 calls", async () => {
    await start()
    const targets = Array.from({ length: 101 }, () => "/gmail/v1/users/me/labels")

    const reply = await client.send("POST", client.url(batchHost, "/batch/gmail/v1"), {
      headers: { ...auth, "content-type": "multipart/mixed; boundary=b" },
      body: batchBody("b", targets)
    })

    expect(reply.status).toBe(400)
  })

  it("spends quota units by call and throttles with 403 userRateLimitExceeded, no Retry-After", async () => {
    const clock = manualClock()
    const fake = await start({ now: clock.now, quota: { unitsPerMinute: 60, burst: 12 } })

    const send = () =>
      client.send("POST", client.url(api, "/gmail/v1/users/me/messages/send"), {
        headers: auth,
        body: { raw: "VG86IGFAZXhhbXBsZS5jb20NCg0KaGk" }
      })
    expect((await get("/messages")).status).toBe(200)
    expect((await get("/messages")).status).toBe(200)
    const throttled = await get("/messages")
    const tooCostly = await send()
    clock.advance(3000)
    const refilled = await get("/labels")

    expect(throttled.status).toBe(403)
    expect(throttled.headers.get("retry-after")).toBeNull()
    expect(throttled.body).toMatchObject({
      error: { code: 403, errors: [{ domain: "usageLimits", reason: "userRateLimitExceeded" }] }
    })
    expect(tooCostly.status).toBe(403)
    expect(refilled.status).toBe(200)
    expect(fake.stats.throttled).toBe(2)
    expect(fake.state.unitsSpent).toBe(11)
  })

  it("throttles with 429 when told to", async () => {
    await start({ quotaStatus: 429, quota: { unitsPerMinute: 60, burst: 1 } })

    await get("/labels")
    const throttled = await get("/labels")

    expect(throttled.status).toBe(429)
    expect(throttled.body).toMatchObject({ error: { code: 429, status: "RESOURCE_EXHAUSTED" } })
  })
})
