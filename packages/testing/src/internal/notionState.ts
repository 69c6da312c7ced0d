import type { JsonObject } from "./json"

/** A user of the fake Notion workspace; the integration itself is a bot user. */
export interface NotionUser {
  readonly id: string
  readonly name: string
  readonly type: "person" | "bot"
  readonly email?: string | undefined
}

/** A property of a database's schema. */
export interface NotionPropertySchema {
  readonly id: string
  readonly type: string
}

/** A database with its single data source (the 2025-09-03 model). */
export interface NotionDatabase {
  readonly id: string
  readonly dataSourceId: string
  readonly title: string
  readonly parentPageId: string
  readonly properties: Readonly<Record<string, NotionPropertySchema>>
}

/** Where a page lives. */
export type NotionParent =
  | { readonly type: "workspace"; readonly workspace: true }
  | { readonly type: "page_id"; readonly page_id: string }
  | { readonly type: "database_id"; readonly database_id: string }
  | {
      readonly type: "data_source_id"
      readonly data_source_id: string
      readonly database_id: string
    }

/** A page: its parent, its rendered property values and when it changed. */
export interface NotionPage {
  readonly id: string
  readonly parent: NotionParent
  properties: Record<string, JsonObject>
  readonly createdTime: string
  lastEditedTime: string
  inTrash: boolean
  icon: unknown
  cover: unknown
  /** Creation order, which breaks ties between pages created in the same millisecond. */
  readonly sequence: number
}

/** A block: its type and rendered content (children are kept apart, in `children`). */
export interface NotionBlock {
  readonly id: string
  readonly parentId: string
  readonly parentType: "page_id" | "block_id"
  readonly type: string
  readonly content: JsonObject
  readonly createdTime: string
  readonly lastEditedTime: string
}

/** The fake Notion workspace. */
export interface NotionState {
  readonly token: string
  readonly botId: string
  readonly users: Map<string, NotionUser>
  readonly databases: Map<string, NotionDatabase>
  readonly pages: Map<string, NotionPage>
  readonly blocks: Map<string, NotionBlock>
  /** Child block ids of every page and block, in order. */
  readonly children: Map<string, Array<string>>
  /** How many objects were created, which names the next id. */
  created: number
}

/** Normalizes an id written with or without dashes; `undefined` when it is not a UUID. */
export const normalizeId = (raw: string): string | undefined => {
  const hex = raw.replaceAll("-", "").toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The plain text of a rendered rich text array. */
export const plainText = (richText: unknown): string =>
  Array.isArray(richText)
    ? richText
        .map((item: unknown) =>
          typeof item === "object" && item !== null && "plain_text" in item
            ? String(item.plain_text)
            : ""
        )
        .join("")
    : ""

/** The title of a page, from whichever property is its title. */
export const titleOf = (page: NotionPage): string => {
  for (const value of Object.values(page.properties)) {
    if (value.type === "title") return plainText(value.title)
  }
  return ""
}

/** The children of a page or block, in order. */
export const childrenOf = (state: NotionState, id: string): Array<string> => {
  const existing = state.children.get(id)
  if (existing !== undefined) return existing
  const created: Array<string> = []
  state.children.set(id, created)
  return created
}

const userRef = (state: NotionState) => ({ object: "user", id: state.botId })

const usesTrash = (version: string) => version >= "2026-03-11"

const trashFields = (inTrash: boolean, version: string) =>
  usesTrash(version) ? { in_trash: inTrash } : { archived: inTrash, in_trash: inTrash }

/** Before 2025-09-03 a page in a database names the database; from then on its data source. */
const renderParent = (parent: NotionParent, version: string): NotionParent =>
  parent.type === "data_source_id" && version < "2025-09-03"
    ? { type: "database_id", database_id: parent.database_id }
    : parent

/** A page as the API answers it, for the `Notion-Version` of the request. */
export const renderPage = (state: NotionState, page: NotionPage, version: string) => ({
  object: "page",
  id: page.id,
  created_time: page.createdTime,
  last_edited_time: page.lastEditedTime,
  created_by: userRef(state),
  last_edited_by: userRef(state),
  cover: page.cover ?? null,
  icon: page.icon ?? null,
  parent: renderParent(page.parent, version),
  ...trashFields(page.inTrash, version),
  properties: page.properties,
  url: `https://www.notion.so/${page.id.replaceAll("-", "")}`,
  public_url: null
})

/** A block as the API answers it. */
export const renderBlock = (state: NotionState, block: NotionBlock, version: string) => ({
  object: "block",
  id: block.id,
  parent:
    block.parentType === "page_id"
      ? { type: "page_id", page_id: block.parentId }
      : { type: "block_id", block_id: block.parentId },
  created_time: block.createdTime,
  last_edited_time: block.lastEditedTime,
  created_by: userRef(state),
  last_edited_by: userRef(state),
  has_children: (state.children.get(block.id)?.length ?? 0) > 0,
  ...trashFields(false, version),
  type: block.type,
  [block.type]: block.type === "child_page" ? childPageContent(state, block.id) : block.content
})

/** A `child_page` block shows its page's title as it is now. */
const childPageContent = (state: NotionState, pageId: string) => {
  const page = state.pages.get(pageId)
  return { title: page === undefined ? "" : titleOf(page) }
}

/** Whether a block is listed among its parent's children: not the block of a trashed page. */
export const isListed = (state: NotionState, block: NotionBlock): boolean =>
  block.type !== "child_page" || state.pages.get(block.id)?.inTrash !== true

/** A user as the API answers it. */
export const renderUser = (user: NotionUser) =>
  user.type === "bot"
    ? { object: "user", id: user.id, type: "bot", name: user.name, avatar_url: null, bot: {} }
    : {
        object: "user",
        id: user.id,
        type: "person",
        name: user.name,
        avatar_url: null,
        person: { email: user.email ?? "" }
      }

const richTitle = (text: string) => [
  {
    type: "text",
    text: { content: text, link: null },
    annotations: {
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: "default"
    },
    plain_text: text,
    href: null
  }
]

/**
 * A database as the API answers it: before 2025-09-03 a `database` carrying its schema,
 * from then on a `data_source` (the database only lists its data sources).
 */
export const renderDatabase = (database: NotionDatabase, version: string) => {
  const properties = Object.fromEntries(
    Object.entries(database.properties).map(([name, property]) => [
      name,
      { id: property.id, name, type: property.type, [property.type]: {} }
    ])
  )
  const common = { title: richTitle(database.title), properties, url: "" }
  return version >= "2025-09-03"
    ? {
        object: "data_source",
        id: database.dataSourceId,
        parent: { type: "database_id", database_id: database.id },
        database_parent: { type: "page_id", page_id: database.parentPageId },
        ...common
      }
    : {
        object: "database",
        id: database.id,
        parent: { type: "page_id", page_id: database.parentPageId },
        ...common
      }
}
