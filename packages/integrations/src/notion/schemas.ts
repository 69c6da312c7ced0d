import { ParseResult, Schema } from "effect"
import type * as Paging from "../internal/Paging"

/** Where a new page lives: under a page, a database (before 2025-09-03) or a data source. */
export const Parent = Schema.Union(
  Schema.Struct({ type: Schema.optional(Schema.Literal("page_id")), page_id: Schema.String }),
  Schema.Struct({
    type: Schema.optional(Schema.Literal("database_id")),
    database_id: Schema.String
  }),
  Schema.Struct({
    type: Schema.optional(Schema.Literal("data_source_id")),
    data_source_id: Schema.String
  })
)
export type Parent = typeof Parent.Type

/** A block to create, as Notion takes it: `{ type, [type]: { ..., children? } }`. */
export interface NewBlock {
  readonly object?: "block"
  readonly type: string
  readonly [field: string]: unknown
}

/** Property values of a page, keyed by property name; `Properties` builds the common ones. */
export type PropertyValues = Readonly<Record<string, unknown>>

/** A page to create. */
export interface CreatePage {
  readonly parent: Parent
  readonly properties: PropertyValues
  /** Any number of blocks: the first batch goes with the page, the rest are appended. */
  readonly children?: ReadonlyArray<NewBlock>
  readonly icon?: unknown
  readonly cover?: unknown
}

/** Changes to a page; absent fields stay as they are. */
export interface UpdatePage {
  readonly properties?: PropertyValues
  /**
   * Moves the page to the trash (`true`) or restores it (`false`); sent as `in_trash` from
   * Notion-Version 2026-03-11 and as `archived` before.
   */
  readonly inTrash?: boolean
  readonly icon?: unknown
  readonly cover?: unknown
}

/** A page, as Notion answers it. */
export const Page = Schema.Struct({
  object: Schema.Literal("page"),
  id: Schema.String,
  url: Schema.optional(Schema.String),
  createdTime: Schema.optional(Schema.String).pipe(Schema.fromKey("created_time")),
  lastEditedTime: Schema.optional(Schema.String).pipe(Schema.fromKey("last_edited_time")),
  inTrash: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("in_trash")),
  parent: Schema.optional(Schema.Unknown),
  properties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
export type Page = typeof Page.Type

/** A block as Notion sends it: known fields, and its content under the key of its type. */
const BlockJson = Schema.Struct(
  {
    object: Schema.Literal("block"),
    id: Schema.String,
    type: Schema.String,
    has_children: Schema.optional(Schema.Boolean),
    in_trash: Schema.optional(Schema.Boolean),
    created_time: Schema.optional(Schema.String),
    last_edited_time: Schema.optional(Schema.String),
    parent: Schema.optional(Schema.Unknown)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

const BlockFields = Schema.Struct({
  object: Schema.Literal("block"),
  id: Schema.String,
  type: Schema.String,
  hasChildren: Schema.optional(Schema.Boolean),
  inTrash: Schema.optional(Schema.Boolean),
  createdTime: Schema.optional(Schema.String),
  lastEditedTime: Schema.optional(Schema.String),
  parent: Schema.optional(Schema.Unknown),
  /** What Notion keeps under the block's type, e.g. `{ rich_text, color }` of a paragraph. */
  content: Schema.optional(Schema.Unknown)
})

const defined = <A extends Record<string, unknown>>(record: A): A =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as A

/** A block, as Notion answers it, with the content of its type in `content`. */
export const Block = Schema.transform(BlockJson, BlockFields, {
  strict: true,
  decode: (json) =>
    defined({
      object: json.object,
      id: json.id,
      type: json.type,
      hasChildren: json.has_children,
      inTrash: json.in_trash,
      createdTime: json.created_time,
      lastEditedTime: json.last_edited_time,
      parent: json.parent,
      content: json[json.type]
    }),
  encode: (block) =>
    defined({
      object: block.object,
      id: block.id,
      type: block.type,
      has_children: block.hasChildren,
      in_trash: block.inTrash,
      created_time: block.createdTime,
      last_edited_time: block.lastEditedTime,
      parent: block.parent,
      [block.type]: block.content
    })
})
export type Block = typeof Block.Type

/** `next_cursor` when `has_more`, otherwise nothing: Notion's end of a list. */
const listFields = {
  nextCursor: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }).pipe(
    Schema.fromKey("next_cursor")
  ),
  hasMore: Schema.optionalWith(Schema.Boolean, { default: () => false }).pipe(
    Schema.fromKey("has_more")
  )
}

/** `json[key]` when `json` has `key` itself: how a struct reads an optional field. */
const own = (json: Readonly<Record<string, unknown>>, key: string): unknown =>
  Object.hasOwn(json, key) ? json[key] : undefined

/**
 * A block decoded by hand, or `undefined` where `Block` might decide otherwise than this does.
 * It answers only for an object whose fields are its own, as `JSON.parse` makes them, and then
 * with what `Block` decodes it to: the same fields in the same order, `content` and `parent` the
 * very values Notion sent.
 */
const blockOf = (input: unknown): Block | undefined => {
  if (typeof input !== "object" || input === null) return undefined
  const json = input as Readonly<Record<string, unknown>>
  // A key `__proto__` would become the prototype of the struct `Block` decodes first.
  if (Object.hasOwn(json, "__proto__")) return undefined
  const { object, id, type } = json
  if (object !== "block" || typeof id !== "string" || typeof type !== "string") return undefined
  if (!Object.hasOwn(json, "object") || !Object.hasOwn(json, "id") || !Object.hasOwn(json, "type"))
    return undefined
  const hasChildren = own(json, "has_children")
  const inTrash = own(json, "in_trash")
  const createdTime = own(json, "created_time")
  const lastEditedTime = own(json, "last_edited_time")
  if (hasChildren !== undefined && typeof hasChildren !== "boolean") return undefined
  if (inTrash !== undefined && typeof inTrash !== "boolean") return undefined
  if (createdTime !== undefined && typeof createdTime !== "string") return undefined
  if (lastEditedTime !== undefined && typeof lastEditedTime !== "string") return undefined
  // The content is the value under the type's key; a key the object inherits (`constructor`)
  // would be read from its prototype.
  let content: unknown
  if (Object.prototype.propertyIsEnumerable.call(json, type)) content = json[type]
  else if (type in json) return undefined
  const parent = own(json, "parent")
  const block: { -readonly [K in keyof Block]: Block[K] } = { object, id, type }
  if (hasChildren !== undefined) block.hasChildren = hasChildren
  if (inTrash !== undefined) block.inTrash = inTrash
  if (createdTime !== undefined) block.createdTime = createdTime
  if (lastEditedTime !== undefined) block.lastEditedTime = lastEditedTime
  if (parent !== undefined) block.parent = parent
  if (content !== undefined) block.content = content
  return block
}

/** Every block of `input` decoded by hand, or `undefined` if one of them cannot be. */
const blocksOf = (input: unknown): Array<Block> | undefined => {
  if (!Array.isArray(input)) return undefined
  const blocks = new Array<Block>(input.length)
  for (let index = 0; index < input.length; index++) {
    const block = blockOf(input[index])
    if (block === undefined) return undefined
    blocks[index] = block
  }
  return blocks
}

const Blocks = Schema.Array(Block)

/**
 * The blocks of a list: `Schema.Array(Block)`, whose decoding takes a shortcut for blocks as
 * Notion sends them. `Block` allocates some 15 KB to decode one block (the struct with a record
 * of the other keys copies every key, the transformation builds arrays of entries, the struct of
 * the result copies it again): two thirds of what reading a list allocates, and some five times
 * as long as `JSON.parse` takes for it. The shortcut allocates the result alone. Anything else
 * (an error, a block it does not answer for, encoding, the type or encoded side) is left to
 * `Schema.Array(Block)`, so that errors name the same paths and say the same.
 */
const BlockResults = Schema.declare([Blocks], {
  decode: (blocks) => {
    const decode = ParseResult.decodeUnknownEither(blocks)
    if (blocks.ast !== Blocks.ast) return (input, options) => decode(input, options)
    return (input, options) => {
      const decoded = blocksOf(input)
      return decoded === undefined ? decode(input, options) : ParseResult.succeed(decoded)
    }
  },
  encode: (blocks) => {
    const encode = ParseResult.encodeUnknownEither(blocks)
    return (input, options) => encode(input, options)
  }
})

/** One page of a list of blocks. */
export const BlockList = Schema.Struct({
  object: Schema.Literal("list"),
  results: BlockResults,
  ...listFields
})
export type BlockList = typeof BlockList.Type

/** One page of a query's pages. */
export const PageList = Schema.Struct({
  object: Schema.Literal("list"),
  results: Schema.Array(Page),
  ...listFields
})

/** Rich text as its plain text; encoded back as one run, which is all a cache needs. */
export const PlainText = Schema.transform(
  Schema.Array(Schema.Struct({ plain_text: Schema.String })),
  Schema.String,
  {
    strict: true,
    decode: (runs) => runs.map((run) => run.plain_text).join(""),
    encode: (text) => (text === "" ? [] : [{ plain_text: text }])
  }
)

/** One property of a data source's schema; its configuration stays under the key of its type. */
export const PropertySchema = Schema.Struct(
  { id: Schema.String, name: Schema.optional(Schema.String), type: Schema.String },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
export type PropertySchema = typeof PropertySchema.Type

/**
 * A data source with its schema (Notion-Version 2025-09-03 on), or a database as versions
 * before it describe one: the properties its pages have.
 */
export const DataSource = Schema.Struct({
  object: Schema.Literal("data_source", "database"),
  id: Schema.String,
  title: Schema.optionalWith(PlainText, { default: () => "" }),
  parent: Schema.optional(Schema.Unknown),
  url: Schema.optional(Schema.String),
  properties: Schema.optionalWith(Schema.Record({ key: Schema.String, value: PropertySchema }), {
    default: () => ({})
  })
})
export type DataSource = typeof DataSource.Type

/** What a search finds: pages, and data sources (or databases, before 2025-09-03). */
export const SearchResult = Schema.Union(Page, DataSource)
export type SearchResult = typeof SearchResult.Type

/** One page of search results. */
export const SearchList = Schema.Struct({
  object: Schema.Literal("list"),
  results: Schema.Array(SearchResult),
  ...listFields
})

/** A person or a bot of the workspace. */
export const User = Schema.Struct({
  object: Schema.Literal("user"),
  id: Schema.String,
  type: Schema.optional(Schema.String),
  name: Schema.optional(Schema.NullOr(Schema.String)),
  avatarUrl: Schema.optional(Schema.NullOr(Schema.String)).pipe(Schema.fromKey("avatar_url")),
  person: Schema.optional(Schema.Struct({ email: Schema.optional(Schema.String) }))
})
export type User = typeof User.Type

/** A query of a data source (or, before 2025-09-03, of a database). */
export interface Query extends Paging.ListOptions {
  /** A Notion filter object: a property filter, or `and` / `or` of filters. */
  readonly filter?: unknown
  /** Notion sort objects: by property or by timestamp, applied in order. */
  readonly sorts?: ReadonlyArray<unknown>
}

/** A search of the pages and data sources shared with the integration. */
export interface Search extends Paging.ListOptions {
  /** Text in titles; everything shared with the integration when absent. */
  readonly query?: string
  /**
   * Only pages, or only data sources (`database` before Notion-Version 2025-09-03).
   * Sent as `{ property: "object", value }`.
   */
  readonly filter?: { readonly value: "page" | "data_source" | "database" }
  /** By last edit, newest first unless `ascending`. */
  readonly sort?: { readonly direction: "ascending" | "descending" }
}
