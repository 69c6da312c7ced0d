import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeNotion from "../src/FakeNotion"
import * as Samples from "../src/Samples"
import { type Client, manualClock, type Reply, transports } from "./support"

const origin = "https://api.notion.com"
const parentPageId = Samples.notionParentPageId
const database = Samples.notionDatabase

interface Listed {
  readonly results: Array<{ id: string; [key: string]: unknown }>
  readonly next_cursor: string | null
  readonly has_more: boolean
}

const paragraph = (content: string, children?: Array<unknown>) => ({
  object: "block",
  type: "paragraph",
  paragraph: {
    rich_text: [{ type: "text", text: { content } }],
    ...(children === undefined ? {} : { children })
  }
})

const titled = (title: string) => ({ title: [{ text: { content: title } }] })

describe.each(transports)("FakeNotion over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeNotion.Options = {}) => {
    const fake = FakeNotion.make(options)
    client = await connect(fake)
    return fake
  }

  const call = (
    method: string,
    path: string,
    body?: unknown,
    version = "2025-09-03"
  ): Promise<Reply> =>
    client.send(method, client.url(origin, path), {
      headers: {
        authorization: `Bearer ${Samples.credentials.notion.token}`,
        "notion-version": version
      },
      body
    })

  const createPage = async (title: string, children?: Array<unknown>) => {
    const reply = await call("POST", "/v1/pages", {
      parent: { page_id: parentPageId },
      properties: { title: titled(title) },
      ...(children === undefined ? {} : { children })
    })
    expect(reply.body).toMatchObject({ object: "page" })
    return reply.body as { id: string }
  }

  it("refuses a wrong token and a missing Notion-Version in Notion's error envelope", async () => {
    await start()
    const url = client.url(origin, `/v1/pages/${parentPageId}`)

    const wrongToken = await client.send("GET", url, {
      headers: { authorization: "Bearer secret_wrong", "notion-version": "2025-09-03" }
    })
    const noVersion = await client.send("GET", url, {
      headers: { authorization: `Bearer ${Samples.credentials.notion.token}` }
    })

    expect(wrongToken.status).toBe(401)
    expect(wrongToken.body).toMatchObject({
      object: "error",
      status: 401,
      code: "unauthorized",
      message: "API token is invalid."
    })
    expect(typeof (wrongToken.body as { request_id: unknown }).request_id).toBe("string")
    expect(noVersion.status).toBe(400)
    expect(noVersion.body).toMatchObject({ object: "error", code: "missing_version" })
  })

  it("creates a page with children that its parent's search, retrieve and children list all show", async () => {
    const fake = await start()

    const page = await createPage("Weekly product sync — notes", [
      paragraph("Launch stays on December 3rd."),
      paragraph("Action items", [paragraph("Grace drafts the blog post")])
    ])
    const retrieved = await call("GET", `/v1/pages/${page.id.replaceAll("-", "")}`)
    const children = (await call("GET", `/v1/blocks/${page.id}/children`)).body as Listed
    const nested = (await call("GET", `/v1/blocks/${children.results[1]!.id}/children`))
      .body as Listed
    const found = (await call("POST", "/v1/search", { query: "product sync" })).body as Listed

    expect(retrieved.body).toMatchObject({
      object: "page",
      id: page.id,
      parent: { type: "page_id", page_id: parentPageId },
      properties: {
        title: { type: "title", title: [{ plain_text: "Weekly product sync — notes" }] }
      }
    })
    expect(children.results.map((block) => block.has_children)).toEqual([false, true])
    expect(children.results[0]).toMatchObject({
      type: "paragraph",
      paragraph: { rich_text: [{ plain_text: "Launch stays on December 3rd." }] }
    })
    expect(nested.results).toHaveLength(1)
    expect(found.results.map((result) => result.id)).toEqual([page.id])
    expect(fake.state.pages.has(page.id)).toBe(true)
  })

  it("queries a data source and a database with a rich_text equals filter", async () => {
    await start()
    const row = (meetingId: string, version: string, parent: Record<string, string>) =>
      call(
        "POST",
        "/v1/pages",
        {
          parent,
          properties: {
            Name: titled(`Meeting ${meetingId}`),
            "Meeting ID": { rich_text: [{ text: { content: meetingId } }] }
          }
        },
        version
      )
    await row("111", "2025-09-03", { data_source_id: database.dataSourceId })
    const created = await row("222", "2022-06-28", { database_id: database.id })
    await row("333", "2025-09-03", { data_source_id: database.dataSourceId })
    const filter = { property: "Meeting ID", rich_text: { equals: "222" } }

    const viaDataSource = await call("POST", `/v1/data_sources/${database.dataSourceId}/query`, {
      filter
    })
    const viaDatabase = await call(
      "POST",
      `/v1/databases/${database.id}/query`,
      { filter },
      "2022-06-28"
    )
    const unknownProperty = await call("POST", `/v1/data_sources/${database.dataSourceId}/query`, {
      filter: { property: "Nope", rich_text: { equals: "1" } }
    })

    const id = (created.body as { id: string }).id
    expect((viaDataSource.body as Listed).results.map((page) => page.id)).toEqual([id])
    expect((viaDataSource.body as Listed).results[0]!.parent).toEqual({
      type: "data_source_id",
      data_source_id: database.dataSourceId,
      database_id: database.id
    })
    expect((viaDatabase.body as Listed).results[0]!.parent).toEqual({
      type: "database_id",
      database_id: database.id
    })
    expect(unknownProperty.status).toBe(400)
    expect(unknownProperty.body).toMatchObject({ code: "validation_error" })
  })

  it("pages a block's children with start_cursor and next_cursor, at most 100 a page", async () => {
    await start()
    const page = await createPage("Long transcript")
    for (const count of [100, 100, 50]) {
      const children = Array.from({ length: count }, (_, index) => paragraph(`line ${index}`))
      const appended = await call("PATCH", `/v1/blocks/${page.id}/children`, { children })
      expect(appended.status).toBe(200)
      expect((appended.body as Listed).results).toHaveLength(count)
    }

    const sizes: Array<number> = []
    const seen = new Set<string>()
    let cursor: string | null = null
    do {
      const query: string = cursor === null ? "" : `&start_cursor=${cursor}`
      const reply = await call("GET", `/v1/blocks/${page.id}/children?page_size=100${query}`)
      const listed = reply.body as Listed
      sizes.push(listed.results.length)
      for (const block of listed.results) seen.add(block.id)
      expect(listed.has_more).toBe(listed.next_cursor !== null)
      cursor = listed.next_cursor
    } while (cursor !== null)
    const tooLarge = await call("GET", `/v1/blocks/${page.id}/children?page_size=101`)

    expect(sizes).toEqual([100, 100, 50])
    expect(seen.size).toBe(250)
    expect(tooLarge.status).toBe(400)
    expect(tooLarge.body).toMatchObject({ code: "validation_error" })
  })

  it("rejects more than 100 children, deep nesting, long rich text and large payloads", async () => {
    const fake = await start()
    const append = (body: unknown) => call("PATCH", `/v1/blocks/${parentPageId}/children`, body)

    const tooMany = await append({
      children: Array.from({ length: 101 }, (_, index) => paragraph(`line ${index}`))
    })
    const tooDeep = await append({
      children: [paragraph("1", [paragraph("2", [paragraph("3", [paragraph("4")])])])]
    })
    const tooLong = await append({ children: [paragraph("x".repeat(2001))] })
    const tooLarge = await append({
      children: Array.from({ length: 60 }, () => paragraph("y".repeat(2000))),
      padding: "z".repeat(400_000)
    })
    const deepestAllowed = await append({
      children: [paragraph("1", [paragraph("2", [paragraph("3")])])]
    })

    expect([tooMany, tooDeep, tooLong, tooLarge].map((reply) => reply.status)).toEqual([
      400, 400, 400, 400
    ])
    const messages = [tooMany, tooDeep, tooLong, tooLarge].map(
      (reply) => (reply.body as { code: string; message: string }).message
    )
    expect(messages[0]).toContain("body.children.length should be ≤ `100`, instead was `101`")
    expect(messages[1]).toContain("children should be not present")
    expect(messages[2]).toContain("text.content.length should be ≤ `2000`, instead was `2001`")
    expect(messages[3]).toContain("Request body too large")
    expect(deepestAllowed.status).toBe(200)
    expect(fake.state.blocks.size).toBe(3)
  })

  it("updates a page's title, and a page moved to the trash leaves search", async () => {
    await start()
    const page = await createPage("Draft notes")

    const renamed = await call("PATCH", `/v1/pages/${page.id}`, {
      properties: { title: titled("Final notes") }
    })
    const trashed = await call("PATCH", `/v1/pages/${page.id}`, { in_trash: true })
    const found = (await call("POST", "/v1/search", { query: "notes" })).body as Listed

    expect(renamed.body).toMatchObject({
      properties: { title: { title: [{ plain_text: "Final notes" }] } }
    })
    expect(trashed.body).toMatchObject({ in_trash: true })
    expect(found.results.map((result) => result.id)).toEqual([parentPageId])
  })

  it("retrieves users and answers object_not_found for unknown ids", async () => {
    await start()

    const ada = await call("GET", `/v1/users/${Samples.host.notionUserId}`)
    const unknown = await call("GET", "/v1/users/00000000-0000-4000-8000-000000000000")
    const page = await call("GET", "/v1/pages/00000000000040008000000000000001")

    expect(ada.body).toMatchObject({
      object: "user",
      type: "person",
      person: { email: "ada@example.com" }
    })
    expect(unknown.status).toBe(404)
    expect(unknown.body).toMatchObject({ code: "object_not_found" })
    expect(page.status).toBe(404)
  })

  it("throttles with rate_limited and Retry-After once the bucket is empty", async () => {
    const clock = manualClock()
    const fake = await start({ now: clock.now, rateLimit: { rate: 3, burst: 3 } })

    const replies = []
    for (let index = 0; index < 4; index++)
      replies.push(await call("GET", `/v1/pages/${parentPageId}`))
    clock.advance(1000)
    const later = await call("GET", `/v1/pages/${parentPageId}`)

    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 429])
    expect(replies[3]!.body).toMatchObject({
      object: "error",
      status: 429,
      code: "rate_limited",
      message: "You have been rate limited. Please try again in a few minutes."
    })
    expect(replies[3]!.headers.get("retry-after")).toBe("1")
    expect(later.status).toBe(200)
    expect(fake.stats).toMatchObject({ requests: 5, throttled: 1, faults: 0 })
    const second = Math.floor(clock.now() / 1000)
    expect(fake.stats.acceptedPerSecond.get(second - 1)).toBe(3)
    expect(fake.stats.acceptedPerSecond.get(second)).toBe(1)
  })

  it("answers an injected server error as Notion's 503 service_unavailable", async () => {
    const fake = await start({ faults: { serverError: 1 }, random: () => 0 })

    const reply = await call("GET", `/v1/pages/${parentPageId}`)

    expect(reply.status).toBe(503)
    expect(reply.body).toMatchObject({ object: "error", code: "service_unavailable" })
    expect(fake.stats.faults).toBe(1)
  })
})
