import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, ParseResult, Schema } from "effect"
import { Notion } from "../src"

const { Block, BlockList } = Notion

/** A list of blocks as `Schema.Array(Block)` decodes it, the reference for `BlockList`. */
const Reference = Schema.Struct({ ...BlockList.fields, results: Schema.Array(Block) })

const options = [
  { onExcessProperty: "ignore" },
  { onExcessProperty: "error", errors: "all" },
  { onExcessProperty: "preserve", exact: true, propertyOrder: "original" }
] as const

/** Decodes `input` with both schemas and expects the same answer, down to keys and errors. */
const expectSameDecoding = (input: unknown) => {
  for (const option of options) {
    const actual = ParseResult.decodeUnknownEither(BlockList)(input, option)
    const expected = ParseResult.decodeUnknownEither(Reference)(input, option)
    if (Either.isLeft(expected)) {
      expect(Either.isLeft(actual)).toBe(true)
      if (Either.isLeft(actual)) {
        expect(ParseResult.ArrayFormatter.formatIssueSync(actual.left)).toEqual(
          ParseResult.ArrayFormatter.formatIssueSync(expected.left)
        )
      }
      continue
    }
    expect(Either.isRight(actual)).toBe(true)
    if (Either.isLeft(actual)) continue
    expect(actual.right).toStrictEqual(expected.right)
    actual.right.results.forEach((block, index) => {
      const reference = expected.right.results[index]
      expect(Object.keys(block)).toEqual(Object.keys(reference ?? {}))
      expect(block.content).toBe(reference?.content)
      expect(block.parent).toBe(reference?.parent)
    })
  }
}

const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 })
)

/** A field with a value of the right kind mostly, else missing or of any kind. */
const field = (name: string, valid: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 6, arbitrary: valid.map((value) => [[name, value] as const]) },
    { weight: 1, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: odd.map((value) => [[name, value] as const]) }
  )

const type = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("paragraph", "heading_1", "to_do") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "id",
      "type",
      "object",
      "parent",
      "has_children",
      "in_trash",
      "created_time",
      "constructor",
      "toString",
      "__proto__",
      ""
    )
  },
  { weight: 1, arbitrary: odd }
)

const stamp = fc.constant("2026-01-05T09:00:00.000Z")

/** Notion-shaped blocks and near misses: fields missing, of another kind, odd types. */
const blockJson = fc
  .tuple(
    field("object", fc.constant("block")),
    field("id", fc.uuid()),
    type,
    field("has_children", fc.boolean()),
    field("in_trash", fc.boolean()),
    field("created_time", stamp),
    field("last_edited_time", stamp),
    field("parent", fc.constant({ type: "page_id", page_id: "p" })),
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(fc.tuple(fc.constantFrom("archived", "created_by", "__proto__", "x"), odd), {
      maxLength: 2
    })
  )
  .map(([object, id, type, hasChildren, inTrash, created, edited, parent, content, extra]) =>
    Object.fromEntries([
      ...object,
      ...id,
      ...(type === undefined ? [] : [["type", type] as const]),
      ...hasChildren,
      ...inTrash,
      ...created,
      ...edited,
      ...parent,
      ...(typeof type === "string" ? [[type, content] as const] : []),
      ...extra
    ])
  )

const list = (results: unknown) => ({ object: "list", results, next_cursor: null, has_more: false })

describe("Notion BlockList", () => {
  it("decodes a list as Schema.Array(Block) does, values, key order and errors alike", () => {
    fc.assert(
      fc.property(fc.array(blockJson, { maxLength: 4 }), (blocks) => {
        expectSameDecoding(list(blocks))
        expectSameDecoding(JSON.parse(JSON.stringify(list(blocks))))
      }),
      { numRuns: 2000 }
    )
  })

  it("decodes what is not a plain JSON object as Schema.Array(Block) does", () => {
    const valid = { object: "block", id: "b", type: "paragraph", paragraph: { rich_text: [] } }
    class Instance {
      readonly object = "block"
      readonly id = "b"
      readonly type = "paragraph"
    }
    const inputs: ReadonlyArray<unknown> = [
      Object.assign(Object.create(null), valid),
      new Instance(),
      Object.assign(Object.create({ paragraph: "inherited" }), valid),
      Object.assign(Object.create(valid), { paragraph: 1 }),
      Object.defineProperty({ ...valid }, "paragraph", { value: 1, enumerable: false }),
      JSON.parse('{"object":"block","id":"b","type":"paragraph","__proto__":{"paragraph":1}}'),
      JSON.parse('{"object":"block","id":"b","type":"__proto__","__proto__":{"a":1}}'),
      [valid],
      null,
      "block",
      undefined
    ]
    for (const input of inputs) {
      expectSameDecoding(list([valid, input]))
      expectSameDecoding(list(input))
    }
    // A list with a hole in it.
    expectSameDecoding(list(Object.assign(new Array(3), { 0: valid, 2: valid })))
  })

  it("keeps the content of a block as Notion sent it", () => {
    const json = JSON.parse(
      JSON.stringify(
        list([
          {
            object: "block",
            id: "b1",
            type: "paragraph",
            created_time: "2026-01-05T09:00:00.000Z",
            has_children: false,
            archived: false,
            paragraph: { rich_text: [{ plain_text: "one" }], color: "default" }
          }
        ])
      )
    )

    const decoded = Schema.decodeUnknownSync(BlockList)(json)

    expect(decoded.results).toEqual([
      {
        object: "block",
        id: "b1",
        type: "paragraph",
        hasChildren: false,
        createdTime: "2026-01-05T09:00:00.000Z",
        content: { rich_text: [{ plain_text: "one" }], color: "default" }
      }
    ])
    expect(decoded.results[0]?.content).toBe(json.results[0].paragraph)
  })

  it("encodes, and checks its type, as Schema.Array(Block) does", () => {
    const blocks = [
      { object: "block", id: "b", type: "paragraph", hasChildren: true, content: { a: 1 } },
      { object: "block", id: "c", type: "divider" }
    ] as const
    const decoded = { object: "list", results: blocks, nextCursor: null, hasMore: false } as const

    expect(Schema.encodeSync(BlockList)(decoded)).toEqual(Schema.encodeSync(Reference)(decoded))
    expect(Schema.is(BlockList)(decoded)).toBe(true)
    const wrong = { ...decoded, results: [{ ...blocks[0], hasChildren: "yes" }] }
    expect(Schema.is(BlockList)(wrong)).toBe(false)
    expect(Schema.is(Reference)(wrong)).toBe(false)
  })
})
