import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeZoom from "../src/FakeZoom"
import * as Samples from "../src/Samples"
import { type Client, manualClock, transports } from "./support"

const api = "https://api.zoom.us"
const site = "https://zoom.us"
const { accountId, clientId, clientSecret } = Samples.credentials.zoom
const basic = `Basic ${btoa(`${clientId}:${clientSecret}`)}`

const bodyOf = <A>(value: unknown): A => value as A

describe.each(transports)("FakeZoom over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeZoom.Options = {}) => {
    const fake = FakeZoom.make(options)
    client = await connect(fake)
    return fake
  }

  const token = async () => {
    const url = client.url(
      site,
      `/oauth/token?grant_type=account_credentials&account_id=${accountId}`
    )
    const reply = await client.send("POST", url, { headers: { authorization: basic } })
    expect(reply.status).toBe(200)
    return bodyOf<{ access_token: string }>(reply.body).access_token
  }

  const get = async (path: string, accessToken?: string) =>
    client.send("GET", client.url(api, path), {
      headers: { authorization: `Bearer ${accessToken ?? (await token())}` }
    })

  it("grants a bearer token for the account's client credentials and counts the grants", async () => {
    const fake = await start()
    const url = client.url(
      site,
      `/oauth/token?grant_type=account_credentials&account_id=${accountId}`
    )

    const reply = await client.send("POST", url, { headers: { authorization: basic } })

    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({ token_type: "bearer", expires_in: 3599 })
    expect(typeof bodyOf<{ scope: unknown }>(reply.body).scope).toBe("string")
    expect(fake.state.tokenGrants).toBe(1)
  })

  it("refuses wrong client credentials with Zoom's OAuth error", async () => {
    const fake = await start()
    const url = client.url(
      site,
      `/oauth/token?grant_type=account_credentials&account_id=${accountId}`
    )

    const reply = await client.send("POST", url, {
      headers: { authorization: `Basic ${btoa(`${clientId}:wrong`)}` }
    })

    expect(reply.status).toBe(401)
    expect(reply.body).toEqual({
      reason: "Invalid client_id or client_secret",
      error: "invalid_client"
    })
    expect(fake.state.tokenGrants).toBe(0)
  })

  it("answers API calls only with an issued, unexpired token", async () => {
    const clock = manualClock()
    await start({ now: clock.now })
    const accessToken = await token()

    const forged = await get(`/v2/meetings/${Samples.meeting.id}`, "not-a-token")
    expect(forged.status).toBe(401)
    expect(forged.body).toEqual({ code: 124, message: "Invalid access token." })

    expect((await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)).status).toBe(200)
    clock.advance(3600_000)
    const expired = await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ code: 124 })
  })

  it("answers the sample meeting and a Zoom 3001 for an unknown one", async () => {
    await start()
    const accessToken = await token()

    const found = await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)
    const missing = await get("/v2/meetings/12345678901", accessToken)

    expect(found.body).toMatchObject({
      id: 85746065432,
      uuid: Samples.meeting.uuid,
      topic: "Weekly product sync",
      host_email: "ada@example.com",
      duration: 30
    })
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ code: 3001, message: "Meeting does not exist: 12345678901." })
  })

  it("lists recordings whose transcript downloads as WebVTT from the fake's own origin", async () => {
    await start()
    const accessToken = await token()

    const recordings = await get(`/v2/meetings/${Samples.meeting.id}/recordings`, accessToken)
    const files = bodyOf<{ recording_files: Array<Record<string, string>> }>(
      recordings.body
    ).recording_files
    const transcript = files.find((file) => file.file_type === "TRANSCRIPT")!
    const download = await client.send("GET", transcript.download_url!, {
      headers: { authorization: `Bearer ${accessToken}` }
    })
    const anonymous = await client.send("GET", transcript.download_url!)

    expect(transcript).toMatchObject({ file_extension: "VTT", recording_type: "audio_transcript" })
    expect(new URL(transcript.download_url!).origin).toBe(new URL(client.url(site, "/")).origin)
    expect(download.status).toBe(200)
    expect(download.text.startsWith("WEBVTT\n")).toBe(true)
    expect(download.text).toContain("Ada Lovelace: Good morning everyone")
    expect(download.text.match(/-->/g)?.length).toBe(Samples.transcriptCues.length)
    expect(anonymous.status).toBe(401)
  })

  it("pages a host's meetings with page_size and next_page_token until the token is empty", async () => {
    await start()
    const accessToken = await token()

    const pages: Array<{
      meetings: Array<{ id: number }>
      next_page_token: string
      page_size: number
    }> = []
    let next = ""
    do {
      const query = `page_size=5${next === "" ? "" : `&next_page_token=${next}`}`
      const reply = await get(`/v2/users/me/meetings?${query}`, accessToken)
      const page = bodyOf<(typeof pages)[number]>(reply.body)
      pages.push(page)
      next = page.next_page_token
    } while (next !== "")

    const ids = pages.flatMap((page) => page.meetings.map((meeting) => meeting.id))
    expect(pages.map((page) => page.meetings.length)).toEqual([5, 5, 2])
    expect(new Set(ids).size).toBe(12)
    expect(ids[0]).toBe(Samples.meeting.id)
  })

  it("caps page_size at 300, defaults it to 30 and rejects a foreign or expired page token", async () => {
    const clock = manualClock()
    const meetings = Array.from({ length: 301 }, (_, index) => ({
      ...Samples.meeting,
      id: 90000000000 + index,
      uuid: `uuid-${index}==`,
      start_time: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString()
    }))
    await start({ meetings, now: clock.now })
    const accessToken = await token()

    const capped = bodyOf<{ page_size: number; meetings: Array<unknown>; next_page_token: string }>(
      (await get("/v2/users/me/meetings?page_size=1000", accessToken)).body
    )
    const defaulted = bodyOf<{ page_size: number }>(
      (await get("/v2/users/me/meetings", accessToken)).body
    )
    clock.advance(16 * 60_000)
    const expired = await get(
      `/v2/users/me/meetings?next_page_token=${capped.next_page_token}`,
      accessToken
    )

    expect(capped.page_size).toBe(300)
    expect(capped.meetings).toHaveLength(300)
    expect(defaulted.page_size).toBe(30)
    expect(expired.status).toBe(400)
    expect(expired.body).toMatchObject({ code: 300 })
  })

  it("pages past participants across three pages", async () => {
    await start()
    const accessToken = await token()
    const uuid = encodeURIComponent(Samples.meeting.uuid)

    const names: Array<string> = []
    let next = ""
    let pages = 0
    do {
      const query = `page_size=3${next === "" ? "" : `&next_page_token=${next}`}`
      const reply = await get(`/v2/past_meetings/${uuid}/participants?${query}`, accessToken)
      const page = bodyOf<{ participants: Array<{ name: string }>; next_page_token: string }>(
        reply.body
      )
      names.push(...page.participants.map((participant) => participant.name))
      next = page.next_page_token
      pages++
    } while (next !== "")

    expect(pages).toBe(3)
    expect(names).toHaveLength(Samples.meeting.participants.length)
    expect(names.slice(0, 3)).toEqual(["Ada Lovelace", "Grace Hopper", "Alan Turing"])
  })

  it("finds a UUID starting with / only when it is encoded twice", async () => {
    await start()
    const accessToken = await token()
    const uuid = Samples.earlierMeetings[0]!.uuid
    const slashes = Samples.earlierMeetings[1]!.uuid
    expect(uuid.startsWith("/")).toBe(true)
    expect(slashes).toContain("//")

    const twice = await get(
      `/v2/past_meetings/${encodeURIComponent(encodeURIComponent(uuid))}/participants`,
      accessToken
    )
    const twiceSlashes = await get(
      `/v2/past_meetings/${encodeURIComponent(encodeURIComponent(slashes))}/participants`,
      accessToken
    )
    const once = await get(
      `/v2/past_meetings/${encodeURIComponent(uuid)}/participants`,
      accessToken
    )
    const raw = await get(`/v2/past_meetings/${uuid}/participants`, accessToken)

    expect(twice.status).toBe(200)
    expect(twiceSlashes.status).toBe(200)
    expect(once.status).toBe(404)
    expect(raw.status).toBe(404)
  })

  it("throttles once the bucket is empty with Zoom's 429 body and headers", async () => {
    const clock = manualClock()
    const fake = await start({ now: clock.now, rateLimit: { rate: 2, burst: 2 } })
    const accessToken = await token()

    const first = await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)
    const throttled = await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)
    clock.advance(500)
    const after = await get(`/v2/meetings/${Samples.meeting.id}`, accessToken)

    expect(first.status).toBe(200)
    expect(first.headers.get("x-ratelimit-category")).toBe("Light")
    expect(throttled.status).toBe(429)
    expect(throttled.body).toEqual({
      code: 429,
      message: "You have reached the maximum per-second rate limit for this API. Try again later."
    })
    expect(throttled.headers.get("x-ratelimit-category")).toBe("Light")
    expect(throttled.headers.get("x-ratelimit-type")).toBe("QPS")
    expect(throttled.headers.get("retry-after")).toBe("1")
    expect(after.status).toBe(200)
    expect(fake.stats.throttled).toBe(1)
    expect(fake.stats.byRoute["GET /v2/meetings/:meetingId"]).toBe(3)
    expect(fake.stats.byRoute["POST /oauth/token"]).toBe(1)
  })
})
