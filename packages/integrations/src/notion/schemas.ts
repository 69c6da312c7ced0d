import { Schema } from "effect"

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

/** A page, as Notion answers it. */
export const Page = Schema.Struct({
  object: Schema.Literal("page"),
  id: Schema.String,
  url: Schema.optional(Schema.String),
  createdTime: Schema.optional(Schema.String).pipe(Schema.fromKey("created_time")),
  lastEditedTime: Schema.optional(Schema.String).pipe(Schema.fromKey("last_edited_time")),
  parent: Schema.optional(Schema.Unknown),
  properties: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})
export type Page = typeof Page.Type

/** A block, as Notion answers it; the content of its type is kept as sent. */
export const Block = Schema.Struct({
  object: Schema.Literal("block"),
  id: Schema.String,
  type: Schema.String,
  hasChildren: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("has_children"))
})
export type Block = typeof Block.Type

/** One page of a list of blocks. */
export const BlockList = Schema.Struct({
  object: Schema.Literal("list"),
  results: Schema.Array(Block),
  nextCursor: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }).pipe(
    Schema.fromKey("next_cursor")
  ),
  hasMore: Schema.optionalWith(Schema.Boolean, { default: () => false }).pipe(
    Schema.fromKey("has_more")
  )
})
export type BlockList = typeof BlockList.Type
