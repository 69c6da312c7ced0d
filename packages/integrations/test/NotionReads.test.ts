import { describe, expect, it } from "@effect/vitest"
import { IntegrationError, Storage, Trigger, Workflow } from "@workway/core"
import { Limit } from "@workway/http"
import { FakeNotion, FakeServer, Samples } from "@workway/testing"
import { Chunk, Effect, Schema, Stream, TestClock } from "effect"
import { Notion } from "../src"
import { credentials, recorded, type Seen, serviceOf } from "./support/Fakes"

const { Blocks, Properties } = Notion

/** Notion over the fake, with a limit high enough that pacing never waits. */
const notionOver = (
  fake: FakeServer.Fake<FakeNotion.NotionState>,
  seen: Array<Seen> = [],
  options: Notion.Options = {}
) =>
  serviceOf(
    Notion.Notion,
    Notion.layer({
      ...credentials.notion,
      settings: { limit: Limit.perSecond(1000, 1000) },
      ...options
    }),
    recorded(fake, seen)
  )

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const routes = (seen: ReadonlyArray<Seen>) =>
  seen.map((request) => `${request.method} ${new URL(request.url).pathname}`)

const { id: databaseId, dataSourceId } = Samples.notionDatabase
const underPage = { page_id: Samples.notionParentPageId }

/** Runs an effect as the body of a workflow run, with the run's request cache and report. */
const inRun = <A, E, R>(run: Effect.Effect<A, E, R>) =>
  Workflow.execute(
    Workflow.make({
      name: "notion-reads",
      version: "1",
      trigger: Trigger.manual({ payload: Schema.Struct({}) }),
      inputs: Schema.Struct({}),
      run: () => run
    }),
    { trigger: {} }
  )

/** Adds rows to the sample database through a client of the given Notion-Version. */
const addRows = (notion: Notion.NotionService, names: ReadonlyArray<string>, version: string) =>
  Effect.forEach(names, (name, index) =>
    notion.pages.create({
      parent:
        version >= "2025-09-03" ? { data_source_id: dataSourceId } : { database_id: databaseId },
      properties: {
        Name: Properties.title(name),
        Status: Properties.select(index % 2 === 0 ? "Done" : "Open")
      }
    })
  )

const titleOf = (page: Notion.Page): string => {
  const name = page.properties?.Name as { title?: ReadonlyArray<{ plain_text: string }> }
  return (name?.title ?? []).map((run) => run.plain_text).join("")
}

describe("Notion pages.update and pages.retrieve", () => {
  it.effect("updates properties and reads them back", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      const [row] = yield* addRows(notion, ["Kickoff"], "2025-09-03")

      yield* notion.pages.update(row!.id, { properties: { Name: Properties.title("Retro") } })
      const read = yield* notion.pages.retrieve(row!.id)

      expect(titleOf(read)).toBe("Retro")
      expect(read).toMatchObject({ object: "page", id: row!.id, inTrash: false })
      expect(routes(seen).slice(1)).toEqual([
        `PATCH /v1/pages/${row!.id}`,
        `GET /v1/pages/${row!.id}`
      ])
    })
  )

  it.effect("moves a page to the trash as archived before 2026-03-11 and in_trash from then", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const current = yield* notionOver(fake, seen)
      const latest = yield* notionOver(fake, seen, { version: "2026-03-11" })
      const [first, second] = yield* addRows(current, ["One", "Two"], "2025-09-03")
      seen.length = 0

      const trashed = yield* current.pages.update(first!.id, { inTrash: true })
      const alsoTrashed = yield* latest.pages.update(second!.id, { inTrash: true })

      expect(seen.map((request) => JSON.parse(request.body))).toEqual([
        { archived: true },
        { in_trash: true }
      ])
      expect([trashed.inTrash, alsoTrashed.inTrash]).toEqual([true, true])
      expect(fake.state.pages.get(first!.id)?.inTrash).toBe(true)
    })
  )

  it.effect("a page that is not there fails as NotFound", () =>
    Effect.gen(function* () {
      const notion = yield* notionOver(FakeNotion.make())

      const error = failure(
        yield* Effect.flip(notion.pages.retrieve("00000000-0000-4000-8000-000000000000"))
      )

      expect(error).toMatchObject({ reason: "NotFound", code: "object_not_found" })
    })
  )
})

describe("Notion blocks.children.list", () => {
  const sevenLines = Array.from({ length: 7 }, (_, index) => Blocks.paragraph(`line ${index + 1}`))

  it.effect("lists a page's blocks across pages, with the content of each", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const page = yield* notion.pages.create({
        parent: underPage,
        properties: {},
        children: sevenLines
      })

      const blocks = yield* Stream.runCollect(notion.blocks.children.list(page.id, { pageSize: 3 }))

      const texts = Chunk.toReadonlyArray(blocks).map(
        (block) =>
          (block.content as { rich_text: ReadonlyArray<{ plain_text: string }> }).rich_text[0]
            ?.plain_text
      )
      expect(texts).toEqual(sevenLines.map((_, index) => `line ${index + 1}`))
      expect(Chunk.unsafeHead(blocks)).toMatchObject({ type: "paragraph", hasChildren: false })
      expect(fake.stats.byRoute["GET /v1/blocks/:id/children"]).toBe(3)
    })
  )

  it.effect("a Stream.take fetches only the pages it needs", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const page = yield* notion.pages.create({
        parent: underPage,
        properties: {},
        children: sevenLines
      })

      yield* notion.blocks.children
        .list(page.id, { pageSize: 3 })
        .pipe(Stream.take(4), Stream.runDrain)

      expect(fake.stats.byRoute["GET /v1/blocks/:id/children"]).toBe(2)
    })
  )

  it.effect("resumes from a page's start cursor, sent in the query string", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      const page = yield* notion.pages.create({
        parent: underPage,
        properties: {},
        children: sevenLines
      })
      const first = yield* notion.blocks.children
        .listPages(page.id, { pageSize: 3 })
        .pipe(Stream.take(1), Stream.runCollect, Effect.map(Chunk.unsafeHead))

      const rest = yield* Stream.runCollect(
        notion.blocks.children.list(page.id, { pageSize: 3, startCursor: first.nextCursor! })
      )

      expect([...first.items, ...rest].map((block) => block.id)).toEqual(
        fake.state.children.get(page.id)
      )
      const resumed = new URL(seen.at(-2)!.url).searchParams
      expect(resumed.get("start_cursor")).toBe(first.nextCursor)
      expect(resumed.get("page_size")).toBe("3")
    })
  )
})

describe("Notion queries by version", () => {
  it.effect("2025-09-03 queries a data source with its filter and sorts, page by page", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      yield* addRows(notion, ["A", "B", "C", "D", "E", "F", "G"], "2025-09-03")
      seen.length = 0

      const rows = yield* Stream.runCollect(
        notion.dataSources.query(dataSourceId, {
          filter: { property: "Status", select: { equals: "Done" } },
          sorts: [{ property: "Name", direction: "descending" }],
          pageSize: 1
        })
      )

      expect(Chunk.toReadonlyArray(rows).map(titleOf)).toEqual(["G", "E", "C", "A"])
      expect(new Set(routes(seen))).toEqual(
        new Set([`POST /v1/data_sources/${dataSourceId}/query`])
      )
      expect(seen.map((request) => request.headers["notion-version"])).toEqual(
        Array(4).fill("2025-09-03")
      )
      expect(JSON.parse(seen[1]!.body)).toMatchObject({
        filter: { property: "Status", select: { equals: "Done" } },
        sorts: [{ property: "Name", direction: "descending" }],
        page_size: 1,
        start_cursor: expect.any(String)
      })
    })
  )

  it.effect("2022-06-28 queries the database, its pages naming the database as parent", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen, { version: "2022-06-28" })
      yield* addRows(notion, ["A", "B", "C"], "2022-06-28")
      seen.length = 0

      const rows = yield* Stream.runCollect(notion.databases.query(databaseId, { pageSize: 1 }))

      expect(rows.length).toBe(3)
      expect(Chunk.unsafeHead(rows).parent).toEqual({
        type: "database_id",
        database_id: databaseId
      })
      expect(new Set(routes(seen))).toEqual(new Set([`POST /v1/databases/${databaseId}/query`]))
      expect(new Set(seen.map((request) => request.headers["notion-version"]))).toEqual(
        new Set(["2022-06-28"])
      )
    })
  )

  it.effect("data sources with a version before them fail as Invalid without a request", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake, [], { version: "2022-06-28" })

      const query = failure(
        yield* Effect.flip(Stream.runDrain(notion.dataSources.query(dataSourceId)))
      )
      const schema = failure(yield* Effect.flip(notion.dataSources.retrieve(dataSourceId)))

      expect(query).toMatchObject({ reason: "Invalid", code: "version_without_data_sources" })
      expect(schema).toMatchObject({ reason: "Invalid", call: "dataSources.retrieve" })
      expect(fake.stats.requests).toBe(0)
    })
  )

  it.effect("a query's Stream.take stops fetching, and a cursor resumes it", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      yield* addRows(notion, ["A", "B", "C", "D", "E"], "2025-09-03")
      const queries = () => fake.stats.byRoute["POST /v1/data_sources/:id/query"] ?? 0

      const [first, second] = yield* notion.dataSources
        .queryPages(dataSourceId, { pageSize: 2 })
        .pipe(Stream.take(2), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      expect(queries()).toBe(2)

      const rest = yield* Stream.runCollect(
        notion.dataSources.query(dataSourceId, { pageSize: 2, startCursor: second!.nextCursor! })
      )
      const titles = [...first!.items, ...second!.items, ...rest].map(titleOf)
      expect(titles.sort()).toEqual(["A", "B", "C", "D", "E"])
      expect(queries()).toBe(3)
    })
  )
})

describe("Notion search", () => {
  it.effect("finds pages and data sources by title, filtered to pages when asked", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      yield* notion.pages.create({
        parent: underPage,
        properties: { title: Properties.title("Meetings digest") }
      })
      seen.length = 0

      const everything = yield* Stream.runCollect(notion.search({ query: "meetings", pageSize: 1 }))
      const pagesOnly = yield* Stream.runCollect(
        notion.search({ query: "meetings", filter: { value: "page" } })
      )

      expect(
        Chunk.toReadonlyArray(everything)
          .map((result) => result.object)
          .sort()
      ).toEqual(["data_source", "page"])
      expect(Chunk.toReadonlyArray(pagesOnly).map((result) => result.object)).toEqual(["page"])
      expect(JSON.parse(seen.at(-1)!.body)).toEqual({
        query: "meetings",
        filter: { property: "object", value: "page" },
        page_size: 100
      })
      const dataSource = Chunk.toReadonlyArray(everything).find((r) => r.object === "data_source")
      expect(dataSource).toMatchObject({ id: dataSourceId, title: "Meetings" })
    })
  )

  it.effect("a search's Stream.take stops fetching once it has enough", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      yield* addRows(notion, ["A", "B", "C", "D"], "2025-09-03")

      yield* notion.search({ pageSize: 1 }).pipe(Stream.take(2), Stream.runDrain)

      expect(fake.stats.byRoute["POST /v1/search"]).toBe(2)
    })
  )
})

describe("Notion users.retrieve", () => {
  it.effect("reads a person once per run, and from Storage in the next run within an hour", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const lookups = inRun(
        Effect.forEach(
          [Samples.host.notionUserId, Samples.notionBotId, Samples.host.notionUserId],
          (id) => notion.users.retrieve(id),
          { concurrency: "unbounded" }
        )
      )
      const reads = () => fake.stats.byRoute["GET /v1/users/:id"] ?? 0

      const first = yield* lookups
      const second = yield* lookups
      yield* TestClock.adjust("61 minutes")
      const third = yield* lookups

      expect(first.success && first.result[0]).toMatchObject({
        id: Samples.host.notionUserId,
        type: "person",
        name: Samples.host.name,
        person: { email: Samples.host.email }
      })
      expect(second.success && second.result.map((user) => user.id)).toEqual([
        Samples.host.notionUserId,
        Samples.notionBotId,
        Samples.host.notionUserId
      ])
      expect(reads()).toBe(4)
      expect(first.report.integrations.notion).toMatchObject({
        calls: 2,
        cacheHits: 1,
        cacheMisses: 2
      })
      expect(second.report.integrations.notion).toMatchObject({ cacheHits: 3, cacheMisses: 0 })
      expect(third.report.integrations.notion).toMatchObject({ cacheHits: 1, cacheMisses: 2 })
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("without Storage, each run's first lookup of a user is a call and a miss", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const lookups = inRun(
        Effect.all([
          notion.users.retrieve(Samples.host.notionUserId),
          notion.users.retrieve(Samples.host.notionUserId)
        ])
      )

      const first = yield* lookups
      yield* lookups

      expect(fake.stats.byRoute["GET /v1/users/:id"]).toBe(2)
      expect(first.report.integrations.notion).toMatchObject({ cacheHits: 1, cacheMisses: 1 })
    })
  )
})

describe("Notion dataSources.retrieve", () => {
  it.effect("reads a data source's schema, cached across runs for 10 minutes", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const reads = () => fake.stats.byRoute["GET /v1/data_sources/:id"] ?? 0

      const first = yield* inRun(notion.dataSources.retrieve(dataSourceId))
      yield* TestClock.adjust("9 minutes")
      const second = yield* inRun(notion.dataSources.retrieve(dataSourceId))
      expect(reads()).toBe(1)
      yield* TestClock.adjust("2 minutes")
      yield* inRun(notion.dataSources.retrieve(dataSourceId))
      expect(reads()).toBe(2)

      expect(first.success && first.result).toMatchObject({
        object: "data_source",
        id: dataSourceId,
        title: "Meetings",
        properties: {
          Name: { id: "title", type: "title" },
          Status: { id: "stat", type: "select", select: {} }
        }
      })
      expect(second.success && second.result).toEqual(first.success && first.result)
      expect(first.report.integrations.notion).toMatchObject({ cacheHits: 0, cacheMisses: 1 })
      expect(second.report.integrations.notion).toMatchObject({ cacheHits: 1, cacheMisses: 0 })
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("a schema Notion cannot decode fails as Decode, and is not cached", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      let reads = 0
      const broken: FakeServer.Handler = async (request) => {
        if (request.method !== "GET" || !request.url.includes("/data_sources/")) {
          return fake.handler(request)
        }
        reads++
        return FakeServer.json({ object: "data_source", id: 42, properties: "none" })
      }
      const notion = yield* serviceOf(Notion.Notion, Notion.layer(credentials.notion), {
        "https://api.notion.com": broken
      })

      const error = failure(yield* Effect.flip(notion.dataSources.retrieve(dataSourceId)))
      yield* Effect.flip(notion.dataSources.retrieve(dataSourceId))

      expect(error).toMatchObject({ reason: "Decode", call: "dataSources.retrieve" })
      expect(reads).toBe(2)
    }).pipe(Effect.provide(Storage.layerMemory))
  )
})
