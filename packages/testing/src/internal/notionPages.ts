import * as FakeServer from "../FakeServer"
import * as Ids from "./ids"
import { isObject, type JsonObject, objectAt, stringAt } from "./json"
import { checkChildren, insertBlocks } from "./notionBlocks"
import { compileFilter, paginate, sortPages } from "./notionQuery"
import * as Respond from "./notionResponses"
import {
  childrenOf,
  type NotionDatabase,
  type NotionPage,
  type NotionParent,
  normalizeId,
  renderDatabase,
  renderPage,
  titleOf
} from "./notionState"
import * as Validation from "./notionValidation"

type Resolved = { readonly parent: NotionParent; readonly database: NotionDatabase | undefined }

const findDatabase = (env: Respond.NotionEnv, id: string, by: "id" | "dataSourceId") =>
  [...env.state.databases.values()].find((database) => database[by] === id)

const resolveParent = (env: Respond.NotionEnv, raw: JsonObject): Resolved | Response => {
  const kinds = [
    ["page_id", "page"],
    ["database_id", "database"],
    ["data_source_id", "data source"]
  ] as const
  const found = kinds.find(([key]) => typeof raw[key] === "string")
  if (found === undefined) {
    return Respond.validationError(
      "body failed validation: body.parent should have one of `page_id`, `database_id`, `data_source_id`."
    )
  }
  const [key, kind] = found
  const id = normalizeId(String(raw[key]))
  if (id === undefined) {
    return Respond.validationError(
      `body failed validation: body.parent.${key} should be a valid uuid, instead was \`${JSON.stringify(raw[key])}\`.`
    )
  }
  if (key === "page_id") {
    return env.state.pages.has(id)
      ? { parent: { type: "page_id", page_id: id }, database: undefined }
      : Respond.objectNotFound(kind, id)
  }
  const database = findDatabase(env, id, key === "database_id" ? "id" : "dataSourceId")
  if (database === undefined) return Respond.objectNotFound(kind, id)
  const parent: NotionParent = {
    type: "data_source_id",
    data_source_id: database.dataSourceId,
    database_id: database.id
  }
  return { parent, database }
}

/** `POST /v1/pages`: creates a page under a page, database or data source, with its children. */
export const create = (env: Respond.NotionEnv, body: JsonObject, version: string): Response => {
  const rawParent = objectAt(body, "parent")
  if (rawParent === undefined) {
    return Respond.validationError(
      "body failed validation: body.parent should be defined, instead was `undefined`."
    )
  }
  const resolved = resolveParent(env, rawParent)
  if (resolved instanceof Response) return resolved

  const schema = resolved.database?.properties
  const properties = Validation.properties(body.properties, schema, env.limits)
  if (properties._tag === "Invalid") return Respond.validationError(properties.message)
  return Respond.orInvalid(checkChildren(env, body.children), (children) => {
    const defaults = Object.fromEntries(
      Object.entries(schema ?? { title: { id: "title", type: "title" } }).map(([name, p]) => [
        name,
        { id: p.id, type: p.type, [p.type]: Validation.emptyValue(p.type) }
      ])
    )
    const time = Respond.isoNow(env)
    const sequence = ++env.state.created
    const page: NotionPage = {
      id: Ids.uuid("notion", sequence),
      parent: resolved.parent,
      properties: { ...defaults, ...properties.value },
      createdTime: time,
      lastEditedTime: time,
      inTrash: false,
      icon: body.icon ?? null,
      cover: body.cover ?? null,
      sequence
    }
    env.state.pages.set(page.id, page)
    if (page.parent.type === "page_id") addChildPage(env, page.parent.page_id, page)
    insertBlocks(env, page.id, "page_id", children)
    return FakeServer.json(renderPage(env.state, page, version))
  })
}

/**
 * A page created under a page also shows among the parent's blocks, as a `child_page` block
 * with the page's id, as in Notion.
 */
const addChildPage = (env: Respond.NotionEnv, parentId: string, page: NotionPage): void => {
  env.state.blocks.set(page.id, {
    id: page.id,
    parentId,
    parentType: "page_id",
    type: "child_page",
    content: {},
    createdTime: page.createdTime,
    lastEditedTime: page.lastEditedTime
  })
  childrenOf(env.state, parentId).push(page.id)
}

const findPage = (env: Respond.NotionEnv, raw: string): NotionPage | Response => {
  const id = normalizeId(raw)
  if (id === undefined) return Respond.invalidPathId("page_id", raw)
  return env.state.pages.get(id) ?? Respond.objectNotFound("page", id)
}

/** `GET /v1/pages/{id}`. */
export const retrieve = (env: Respond.NotionEnv, rawId: string, version: string): Response => {
  const page = findPage(env, rawId)
  return page instanceof Response ? page : FakeServer.json(renderPage(env.state, page, version))
}

/** `PATCH /v1/pages/{id}`: updates properties, icon, cover, or moves the page to the trash. */
export const update = (
  env: Respond.NotionEnv,
  rawId: string,
  body: JsonObject,
  version: string
): Response => {
  const page = findPage(env, rawId)
  if (page instanceof Response) return page
  const trash = typeof body.in_trash === "boolean" ? body.in_trash : body.archived
  if (page.inTrash && trash !== false) {
    return Respond.validationError(
      "Can't edit block that is archived. You must unarchive the block before editing."
    )
  }
  const schema =
    page.parent.type === "data_source_id"
      ? findDatabase(env, page.parent.data_source_id, "dataSourceId")?.properties
      : undefined

  return Respond.orInvalid(Validation.properties(body.properties, schema, env.limits), (values) => {
    page.properties = { ...page.properties, ...values }
    if (typeof trash === "boolean") page.inTrash = trash
    if ("icon" in body) page.icon = body.icon
    if ("cover" in body) page.cover = body.cover
    page.lastEditedTime = Respond.isoNow(env)
    return FakeServer.json(renderPage(env.state, page, version))
  })
}

/** `POST /v1/data_sources/{id}/query` and `POST /v1/databases/{id}/query`. */
export const query = (
  env: Respond.NotionEnv,
  rawId: string,
  by: "id" | "dataSourceId",
  body: JsonObject,
  version: string
): Response => {
  const name = by === "id" ? "database" : "data source"
  const id = normalizeId(rawId)
  if (id === undefined)
    return Respond.invalidPathId(by === "id" ? "database_id" : "data_source_id", rawId)
  const database = findDatabase(env, id, by)
  if (database === undefined) return Respond.objectNotFound(name, id)

  const predicate = compileFilter(body.filter, database.properties)
  if (predicate._tag === "Invalid") return Respond.validationError(predicate.message)
  const rows = [...env.state.pages.values()].filter(
    (page) =>
      page.parent.type === "data_source_id" &&
      page.parent.database_id === database.id &&
      !page.inTrash &&
      predicate.value(page)
  )
  const sorted = sortPages(rows, body.sorts)
  if (sorted._tag === "Invalid") return Respond.validationError(sorted.message)
  const paged = paginate(
    sorted.value,
    { startCursor: body.start_cursor, pageSize: body.page_size, where: "body" },
    env.limits
  )
  return Respond.orInvalid(paged, (page) =>
    FakeServer.json({
      object: "list",
      ...page,
      results: page.results.map((row) => renderPage(env.state, row, version)),
      type: "page_or_data_source",
      page_or_data_source: {}
    })
  )
}

/** `POST /v1/search`: pages and databases whose title contains the query, newest edit first. */
export const search = (env: Respond.NotionEnv, body: JsonObject, version: string): Response => {
  const text = (stringAt(body, "query") ?? "").toLowerCase()
  const filter = objectAt(body, "filter")
  const databaseObject = version >= "2025-09-03" ? "data_source" : "database"
  const only = filter === undefined ? undefined : filter.value
  if (only !== undefined && only !== "page" && only !== databaseObject) {
    return Respond.validationError(
      `body failed validation: body.filter.value should be \`"page"\` or \`"${databaseObject}"\`, ` +
        `instead was \`${JSON.stringify(only)}\`.`
    )
  }

  const pages = [...env.state.pages.values()]
    .filter((page) => !page.inTrash && only !== databaseObject)
    .filter((page) => titleOf(page).toLowerCase().includes(text))
    .map((page) => ({
      id: page.id,
      edited: page.lastEditedTime,
      sequence: page.sequence,
      render: () => renderPage(env.state, page, version)
    }))
  const databases = [...env.state.databases.values()]
    .filter((database) => only !== "page" && database.title.toLowerCase().includes(text))
    .map((database) => {
      const rendered = renderDatabase(database, version)
      return { id: rendered.id, edited: "", sequence: 0, render: () => rendered }
    })
  const ascending = isObject(body.sort) && body.sort.direction === "ascending"
  const items = [...pages, ...databases].sort(
    (a, b) => (a.edited.localeCompare(b.edited) || a.sequence - b.sequence) * (ascending ? 1 : -1)
  )
  const paged = paginate(
    items,
    { startCursor: body.start_cursor, pageSize: body.page_size, where: "body" },
    env.limits
  )
  return Respond.orInvalid(paged, (page) =>
    FakeServer.json({
      object: "list",
      ...page,
      results: page.results.map((item) => item.render()),
      type: "page_or_data_source",
      page_or_data_source: {}
    })
  )
}
