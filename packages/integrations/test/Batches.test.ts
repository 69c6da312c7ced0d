import { describe, expect, it } from "@effect/vitest"
import { Notion } from "../src"

const { Batches, Blocks, Properties } = Notion

const paragraphs = (count: number, text = "x") =>
  Array.from({ length: count }, () => Blocks.paragraph(text))

const sizes = (batches: ReadonlyArray<ReadonlyArray<Notion.Batches.Entry>>) =>
  batches.map((batch) => batch.length)

describe("Batches.plan", () => {
  it("splits 250 blocks into 100, 100 and 50", () => {
    expect(sizes(Batches.plan(paragraphs(250)))).toEqual([100, 100, 50])
  })

  it("splits on payload size before the count of blocks", () => {
    const batches = Batches.plan(paragraphs(100, "y".repeat(1990).padEnd(2000, "z")), {
      ...Batches.defaultBounds,
      bytes: 50_000
    })

    expect(batches.length).toBeGreaterThan(2)
    for (const batch of batches) {
      expect(Batches.sizeOf(batch.map((entry) => entry.block))).toBeLessThanOrEqual(50_000)
    }
    expect(batches.flat()).toHaveLength(100)
  })

  it("counts nested blocks against the blocks per request", () => {
    const withChildren = Array.from({ length: 30 }, () => Blocks.toggle("t", paragraphs(50)))

    const batches = Batches.plan(withChildren)

    expect(sizes(batches)).toEqual([19, 11])
  })

  it("keeps two levels of nesting in one request and defers the third", () => {
    const twoLevels = Blocks.bulleted("a", [Blocks.bulleted("b", [Blocks.bulleted("c")])])
    const threeLevels = Blocks.bulleted("a", [twoLevels])

    expect(Batches.entryOf(twoLevels)).toEqual({ block: twoLevels, later: [] })
    const deferred = Batches.entryOf(threeLevels)
    expect(Batches.childrenOf(deferred.block)).toEqual([])
    expect(deferred.later).toEqual([twoLevels])
  })

  it("defers the children of a block that has more than 100", () => {
    const entry = Batches.entryOf(Blocks.toggle("many", paragraphs(101)))

    expect(entry.later).toHaveLength(101)
    expect(entry.block).toEqual({
      object: "block",
      type: "toggle",
      toggle: { rich_text: Blocks.richText("many") }
    })
  })
})

describe("Batches.forCreate", () => {
  it("sends the leading blocks with the page up to the first one that needs its own request", () => {
    const deep = Blocks.bulleted("1", [
      Blocks.bulleted("2", [Blocks.bulleted("3", [Blocks.bulleted("4")])])
    ])
    const children = [...paragraphs(3), deep, ...paragraphs(2)]

    const { initial, rest } = Batches.forCreate(children, 100)

    expect(initial).toHaveLength(3)
    expect(rest).toEqual([deep, ...paragraphs(2)])
  })

  it("leaves room for the page's properties", () => {
    const { initial } = Batches.forCreate(paragraphs(10, "p".repeat(1000)), 445_000)

    expect(initial.length).toBeLessThan(10)
  })
})

describe("Blocks", () => {
  it("richText splits text into pieces of at most 2,000 characters", () => {
    const runs = Blocks.richText("a".repeat(4100))

    expect(runs.map((run) => run.text.content.length)).toEqual([2000, 2000, 100])
    expect(runs.map((run) => run.text.content).join("")).toBe("a".repeat(4100))
  })

  it("richText never cuts an emoji in half", () => {
    const text = `${"a".repeat(1999)}😀b`

    const pieces = Blocks.richText(text).map((run) => run.text.content)

    expect(pieces).toEqual(["a".repeat(1999), "😀b"])
  })

  it("richText of empty text is empty, and carries links and annotations", () => {
    expect(Blocks.richText("")).toEqual([])
    expect(
      Blocks.richText("docs", { link: "https://x.test", annotations: { bold: true } })
    ).toEqual([
      {
        type: "text",
        text: { content: "docs", link: { url: "https://x.test" } },
        annotations: { bold: true }
      }
    ])
  })

  it("builders write Notion's block JSON, children inside the type's object", () => {
    expect(Blocks.heading2("Decisions")).toEqual({
      object: "block",
      type: "heading_2",
      heading_2: { rich_text: [{ type: "text", text: { content: "Decisions" } }] }
    })
    expect(Blocks.bulleted("item", [Blocks.paragraph("detail")])).toMatchObject({
      bulleted_list_item: { children: [{ type: "paragraph" }] }
    })
    expect(Blocks.toDo("ship", true)).toMatchObject({ to_do: { checked: true } })
  })

  it("paragraphs splits on blank lines and keeps each block within 100 rich text pieces", () => {
    const blocks = Blocks.paragraphs(
      `first\n\nsecond line\nstill second\n\n\n${"z".repeat(250_000)}`
    )

    expect(blocks).toHaveLength(4)
    expect(
      blocks.map((block) => (block.paragraph as { rich_text: Array<unknown> }).rich_text.length)
    ).toEqual([1, 1, 100, 25])
  })
})

describe("Properties", () => {
  it("write Notion's property values", () => {
    expect(Properties.title("Sync")).toEqual({
      title: [{ type: "text", text: { content: "Sync" } }]
    })
    expect(Properties.date(new Date("2026-11-12T16:00:00Z"))).toEqual({
      date: { start: "2026-11-12T16:00:00.000Z" }
    })
    expect(Properties.select("Done")).toEqual({ select: { name: "Done" } })
  })
})
