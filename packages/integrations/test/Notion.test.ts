import { describe, expect, it } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { FakeNotion, type FakeServer, Samples } from "@workway/testing"
import { Effect, Fiber, Redacted } from "effect"
import { Notion } from "../src"
import {
  advanceWhenSleeping,
  credentials,
  recorded,
  rolls,
  type Seen,
  serviceOf
} from "./support/Fakes"

const { Blocks, Properties } = Notion

const notionOver = (
  fake: FakeServer.Fake<FakeNotion.NotionState>,
  seen: Array<Seen> = [],
  options: Notion.Options = {}
) =>
  serviceOf(
    Notion.Notion,
    Notion.layer({ ...credentials.notion, ...options }),
    recorded(fake, seen)
  )

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const parent = { page_id: Samples.notionParentPageId }

/** The blocks under a page or block in the fake, as their text and nested blocks. */
interface Stored {
  readonly text: string
  readonly children: ReadonlyArray<Stored>
}

const storedUnder = (state: FakeNotion.NotionState, id: string): ReadonlyArray<Stored> =>
  (state.children.get(id) ?? []).map((childId) => {
    const block = state.blocks.get(childId)
    const runs = (block?.content.rich_text ?? []) as ReadonlyArray<{ plain_text: string }>
    return {
      text: runs.map((run) => run.plain_text).join(""),
      children: storedUnder(state, childId)
    }
  })

const numbered = (count: number) =>
  Array.from({ length: count }, (_, index) => Blocks.paragraph(`line ${index + 1}`))

const childrenSent = (request: Seen): number =>
  (JSON.parse(request.body) as { children?: ReadonlyArray<unknown> }).children?.length ?? 0

describe("Notion requests", () => {
  it.effect("carry the bearer token and the Notion-Version, 2025-09-03 unless configured", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      const older = yield* notionOver(fake, seen, { version: "2022-06-28" })

      yield* notion.pages.create({ parent, properties: { title: Properties.title("One") } })
      yield* older.pages.create({ parent, properties: { title: Properties.title("Two") } })

      expect(seen.map((request) => request.headers["notion-version"])).toEqual([
        "2025-09-03",
        "2022-06-28"
      ])
      expect(seen[0]?.headers.authorization).toBe(`Bearer ${Samples.credentials.notion.token}`)
      expect(seen[0]?.url).toBe("https://api.notion.com/v1/pages")
    })
  )

  it.effect("a wrong token fails as Unauthorized", () =>
    Effect.gen(function* () {
      const notion = yield* notionOver(FakeNotion.make(), [], {
        token: Redacted.make("secret_someone_else")
      })

      const error = failure(yield* Effect.flip(notion.pages.create({ parent, properties: {} })))

      expect(error).toMatchObject({ reason: "Unauthorized", status: 401, code: "unauthorized" })
    })
  )

  it.effect("an unknown parent fails as NotFound with Notion's code", () =>
    Effect.gen(function* () {
      const notion = yield* notionOver(FakeNotion.make())

      const error = failure(
        yield* Effect.flip(
          notion.pages.create({
            parent: { page_id: "00000000-0000-4000-8000-000000000000" },
            properties: {}
          })
        )
      )

      expect(error).toMatchObject({ reason: "NotFound", status: 404, code: "object_not_found" })
    })
  )
})

describe("pages.create", () => {
  it.effect("a page with 250 children is created with 100, then appended 100 and 50", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)

      const page = yield* notion.pages.create({
        parent,
        properties: { title: Properties.title("Long notes") },
        children: numbered(250)
      })

      expect(seen.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
        "POST /v1/pages",
        `PATCH /v1/blocks/${page.id}/children`,
        `PATCH /v1/blocks/${page.id}/children`
      ])
      expect(seen.map(childrenSent)).toEqual([100, 100, 50])
      expect(storedUnder(fake.state, page.id).map((block) => block.text)).toEqual(
        Array.from({ length: 250 }, (_, index) => `line ${index + 1}`)
      )
    })
  )

  it.effect("blocks nested more than two levels deep are appended under their created parent", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)
      const deep = Blocks.bulleted("level 1", [
        Blocks.bulleted("level 2", [Blocks.bulleted("level 3", [Blocks.bulleted("level 4")])])
      ])

      const page = yield* notion.pages.create({
        parent,
        properties: { title: Properties.title("Nested") },
        children: [Blocks.heading2("Outline"), deep]
      })

      expect(storedUnder(fake.state, page.id)).toEqual([
        { text: "Outline", children: [] },
        {
          text: "level 1",
          children: [
            {
              text: "level 2",
              children: [{ text: "level 3", children: [{ text: "level 4", children: [] }] }]
            }
          ]
        }
      ])
      expect(seen.map(childrenSent)).toEqual([1, 1, 1])
    })
  )

  it.effect("text over 2,000 characters is sent as several rich text pieces", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const notion = yield* notionOver(fake)
      const text = "a".repeat(2000) + "b".repeat(2000) + "c".repeat(500)

      const page = yield* notion.pages.create({
        parent,
        properties: { title: Properties.title("Long paragraph") },
        children: [Blocks.paragraph(text)]
      })

      const [block] = storedUnder(fake.state, page.id)
      expect(block?.text).toBe(text)
      const id = fake.state.children.get(page.id)?.[0] ?? ""
      const runs = fake.state.blocks.get(id)?.content.rich_text as ReadonlyArray<unknown>
      expect(runs).toHaveLength(3)
    })
  )

  it.effect("a create that meets a 503 is retried: Notion refused it before handling it", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make({ faults: { serverError: 0.5 }, random: rolls(0, 0.99) })
      const notion = yield* notionOver(fake)

      const fiber = yield* Effect.fork(
        notion.pages.create({ parent, properties: { title: Properties.title("Again") } })
      )
      yield* advanceWhenSleeping(fiber, "5 seconds")
      const page = yield* Fiber.join(fiber)

      expect(fake.stats.requests).toBe(2)
      expect([...fake.state.pages.values()].filter((p) => p.id === page.id)).toHaveLength(1)
    })
  )

  it.effect("a create whose connection drops is not retried: it may have created the page", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make({ faults: { reset: 0.5 }, random: rolls(0, 0.99) })
      const notion = yield* notionOver(fake)

      const error = failure(
        yield* Effect.flip(
          notion.pages.create({ parent, properties: { title: Properties.title("Once") } })
        )
      )

      expect(error).toMatchObject({ reason: "Transport", attempts: 1 })
      expect(fake.stats.requests).toBe(1)
    })
  )

  it.effect("a create whose answer is lost after Notion made the page is found, not repeated", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      let dropped = false
      // The page is made, then the connection drops before the answer arrives.
      const dropFirstAnswer: FakeServer.Handler = async (request) => {
        const response = await fake.handler(request)
        if (dropped || request.method !== "POST") return response
        dropped = true
        throw new TypeError("fetch failed: other side closed")
      }
      const notion = yield* serviceOf(
        Notion.Notion,
        Notion.layer(credentials.notion),
        recorded({ handler: dropFirstAnswer, origins: fake.origins }, seen)
      )

      const fiber = yield* Effect.fork(
        notion.pages.create(
          { parent, properties: { title: Properties.title("Once") } },
          { findExisting: notion.pages.findChild(parent.page_id, "Once") }
        )
      )
      yield* advanceWhenSleeping(fiber, "5 seconds")
      const page = yield* Fiber.join(fiber)

      const titled = [...fake.state.pages.values()].filter(
        (stored) => FakeNotion.titleOf(stored) === "Once"
      )
      expect(titled.map((stored) => stored.id)).toEqual([page.id])
      expect(seen.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
        "POST /v1/pages",
        `GET /v1/blocks/${parent.page_id}/children`,
        `GET /v1/pages/${page.id}`
      ])
    })
  )

  it.effect("a create whose connection drops before Notion made it is sent again", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make({ faults: { reset: 0.5 }, random: rolls(0, 0.99) })
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)

      const fiber = yield* Effect.fork(
        notion.pages.create(
          { parent, properties: { title: Properties.title("Twice sent") } },
          { findExisting: notion.pages.findChild(parent.page_id, "Twice sent") }
        )
      )
      yield* advanceWhenSleeping(fiber, "5 seconds")
      const page = yield* Fiber.join(fiber)

      expect(seen.map((request) => request.method)).toEqual(["POST", "GET", "POST"])
      const titled = [...fake.state.pages.values()].filter(
        (stored) => FakeNotion.titleOf(stored) === "Twice sent"
      )
      expect(titled.map((stored) => stored.id)).toEqual([page.id])
    })
  )

  it.effect("a create throttled with 429 is retried after its Retry-After", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make({ faults: { throttle: 0.5 }, random: rolls(0, 0.99) })
      const notion = yield* notionOver(fake)

      const fiber = yield* Effect.fork(
        notion.pages.create({ parent, properties: { title: Properties.title("Later") } })
      )
      const waited = yield* advanceWhenSleeping(fiber, "1 second")
      const page = yield* Fiber.join(fiber)

      expect(waited).toBe(1000)
      expect(fake.stats).toMatchObject({ requests: 2, throttled: 1 })
      expect(fake.state.pages.has(page.id)).toBe(true)
    })
  )
})

describe("blocks.children.append", () => {
  it.effect("appends any number of blocks in order, in batches of at most 100", () =>
    Effect.gen(function* () {
      const fake = FakeNotion.make()
      const seen: Array<Seen> = []
      const notion = yield* notionOver(fake, seen)

      const appended = yield* notion.blocks.children.append(
        Samples.notionParentPageId,
        numbered(201)
      )

      expect(appended).toHaveLength(201)
      expect(seen.map(childrenSent)).toEqual([100, 100, 1])
      expect(storedUnder(fake.state, Samples.notionParentPageId).at(-1)?.text).toBe("line 201")
    })
  )
})
