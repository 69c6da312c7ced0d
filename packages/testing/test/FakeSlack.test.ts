import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeSlack from "../src/FakeSlack"
import * as Samples from "../src/Samples"
import { type Client, manualClock, type Reply, transports } from "./support"

const origin = "https://slack.com"
const auth = { authorization: `Bearer ${Samples.credentials.slack.token}` }

interface Paged {
  readonly ok: boolean
  readonly channels?: Array<{ id: string; name?: string }>
  readonly messages?: Array<{ ts: string; text: string }>
  readonly has_more?: boolean
  readonly response_metadata: { readonly next_cursor: string }
}

describe.each(transports)("FakeSlack over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeSlack.Options = {}) => {
    const fake = FakeSlack.make(options)
    client = await connect(fake)
    return fake
  }

  const post = (
    method: string,
    body: unknown,
    headers: Record<string, string> = auth
  ): Promise<Reply> => client.send("POST", client.url(origin, `/api/${method}`), { headers, body })

  const get = (method: string, query: string): Promise<Reply> =>
    client.send("GET", client.url(origin, `/api/${method}?${query}`), { headers: auth })

  it("answers a wrong or missing token with HTTP 200 and ok: false", async () => {
    await start()

    const wrong = await post(
      "chat.postMessage",
      { channel: "C0GENERAL1", text: "hi" },
      {
        authorization: "Bearer xoxb-wrong"
      }
    )
    const missing = await post("chat.postMessage", { channel: "C0GENERAL1", text: "hi" }, {})

    expect(wrong.status).toBe(200)
    expect(wrong.body).toEqual({ ok: false, error: "invalid_auth" })
    expect(missing.body).toEqual({ ok: false, error: "not_authed" })
  })

  it("posts a message that the channel's history then shows, from JSON and form bodies", async () => {
    const fake = await start()

    const json = await post("chat.postMessage", {
      channel: "C0MEETNOTE",
      text: "Notes are ready",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Weekly product sync*" } }]
    })
    const form = await post("chat.postMessage", "channel=%23meeting-notes&text=Second+post", {
      ...auth,
      "content-type": "application/x-www-form-urlencoded"
    })
    const history = (await get("conversations.history", "channel=C0MEETNOTE")).body as Paged

    expect(json.body).toMatchObject({
      ok: true,
      channel: "C0MEETNOTE",
      message: { text: "Notes are ready", type: "message" }
    })
    expect(form.body).toMatchObject({ ok: true, channel: "C0MEETNOTE" })
    expect(history.messages?.map((message) => message.text)).toEqual([
      "Second post",
      "Notes are ready"
    ])
    expect(fake.state.messages.get("C0MEETNOTE")).toHaveLength(2)
  })

  it("refuses unknown and archived channels and a message without text, and DMs a user id", async () => {
    const fake = await start()

    const unknown = await post("chat.postMessage", { channel: "C0NOPE0000", text: "hi" })
    const archived = await post("chat.postMessage", { channel: "launch-2025", text: "hi" })
    const empty = await post("chat.postMessage", { channel: "C0GENERAL1" })
    const direct = await post("chat.postMessage", {
      channel: Samples.host.slackUserId,
      text: "Your notes"
    })

    expect(unknown.body).toEqual({ ok: false, error: "channel_not_found" })
    expect(archived.body).toEqual({ ok: false, error: "is_archived" })
    expect(empty.body).toEqual({ ok: false, error: "no_text" })
    const channel = (direct.body as { channel: string }).channel
    expect(channel.startsWith("D")).toBe(true)
    expect(fake.state.channels.get(channel)?.user).toBe(Samples.host.slackUserId)
    expect(fake.state.messages.get(channel)?.[0]?.text).toBe("Your notes")
  })

  it("looks users up by id and by email, over GET query strings too", async () => {
    await start()

    const info = await get("users.info", `user=${Samples.host.slackUserId}`)
    const byEmail = await post("users.lookupByEmail", { email: "ada@example.com" })
    const unknownId = await get("users.info", "user=U0NOBODY00")
    const unknownEmail = await post("users.lookupByEmail", { email: "nobody@example.com" })

    expect(info.body).toMatchObject({
      ok: true,
      user: {
        id: Samples.host.slackUserId,
        name: "ada",
        real_name: "Ada Lovelace",
        profile: { email: "ada@example.com", display_name: "Ada", real_name: "Ada Lovelace" }
      }
    })
    expect(byEmail.body).toMatchObject({ ok: true, user: { id: Samples.host.slackUserId } })
    expect(unknownId.body).toEqual({ ok: false, error: "user_not_found" })
    expect(unknownEmail.body).toEqual({ ok: false, error: "users_not_found" })
  })

  it("pages conversations.list by cursor, with short pages while more remain", async () => {
    await start()

    const pages: Array<Paged> = []
    let cursor = ""
    do {
      const reply = await get(
        "conversations.list",
        `limit=2&exclude_archived=true&cursor=${cursor}`
      )
      const page = reply.body as Paged
      pages.push(page)
      cursor = page.response_metadata.next_cursor
    } while (cursor !== "")
    const invalid = await get("conversations.list", "cursor=bm9wZQ==")

    expect(pages.map((page) => page.channels?.map((channel) => channel.name))).toEqual([
      ["general"],
      ["product"],
      ["meeting-notes", "random"]
    ])
    expect(pages[0]!.response_metadata.next_cursor).not.toBe("")
    expect(invalid.body).toEqual({ ok: false, error: "invalid_cursor" })
  })

  it("pages conversations.history newest first across three pages", async () => {
    const clock = manualClock()
    await start({ now: clock.now })
    for (let index = 1; index <= 7; index++) {
      await post("chat.postMessage", { channel: "C0PRODUCT1", text: `update ${index}` })
      clock.advance(1000)
    }

    const texts: Array<Array<string>> = []
    let cursor = ""
    do {
      const reply = await post("conversations.history", { channel: "C0PRODUCT1", limit: 3, cursor })
      const page = reply.body as Paged
      texts.push(page.messages?.map((message) => message.text) ?? [])
      expect(page.has_more).toBe(page.response_metadata.next_cursor !== "")
      cursor = page.response_metadata.next_cursor
    } while (cursor !== "")

    expect(texts).toEqual([
      ["update 7", "update 6", "update 5"],
      ["update 4", "update 3", "update 2"],
      ["update 1"]
    ])
  })

  it("throttles with HTTP 429, Retry-After and ratelimited once the bucket is empty", async () => {
    const clock = manualClock()
    const fake = await start({ now: clock.now, rateLimit: { rate: 1, burst: 1 } })

    const first = await get("users.info", `user=${Samples.host.slackUserId}`)
    const second = await get("users.info", `user=${Samples.host.slackUserId}`)

    expect(first.status).toBe(200)
    expect(second.status).toBe(429)
    expect(second.headers.get("retry-after")).toBe("1")
    expect(second.body).toEqual({ ok: false, error: "ratelimited" })
    expect(fake.stats.byRoute["GET /api/users.info"]).toBe(2)
    expect(fake.stats.throttled).toBe(1)
  })

  it("answers an unknown method with unknown_method", async () => {
    await start()

    const reply = await post("chat.fly", { channel: "C0GENERAL1" })

    expect(reply.status).toBe(404)
    expect(reply.body).toMatchObject({ ok: false, error: "unknown_method" })
  })
})
