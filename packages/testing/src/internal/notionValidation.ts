import { arrayAt, isObject, type JsonObject, objectAt } from "./json"
import type { NotionPropertySchema } from "./notionState"

/** The request limits Notion enforces; each is configurable. */
export interface Limits {
  /** Children in one append or page create. */
  readonly children: number
  /** Levels of nesting below the blocks of one request. */
  readonly depth: number
  /** Characters in one rich text object's content. */
  readonly richText: number
  /** Blocks in one request, at every level. */
  readonly blocks: number
  /** Bytes of one request body. */
  readonly payloadBytes: number
  /** Items in one page of a listing. */
  readonly pageSize: number
}

/** Notion's documented limits. */
export const defaultLimits: Limits = {
  children: 100,
  depth: 2,
  richText: 2000,
  blocks: 1000,
  payloadBytes: 500_000,
  pageSize: 100
}

/** A validated value, or the message of Notion's `validation_error`. */
export type Checked<A> =
  | { readonly _tag: "Valid"; readonly value: A }
  | { readonly _tag: "Invalid"; readonly message: string }

const valid = <A>(value: A): Checked<A> => ({ _tag: "Valid", value })

const invalid = (message: string): Checked<never> => ({ _tag: "Invalid", message })

const tooMany = (path: string, limit: number, actual: number) =>
  invalid(`body failed validation: ${path} should be ≤ \`${limit}\`, instead was \`${actual}\`.`)

const defaultAnnotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: "default"
}

/** Checks a rich text array and renders it as Notion answers it (`plain_text`, `annotations`). */
export const richText = (
  raw: unknown,
  path: string,
  limits: Limits
): Checked<ReadonlyArray<JsonObject>> => {
  if (!Array.isArray(raw)) return invalid(`body failed validation: ${path} should be an array.`)
  if (raw.length > 100) return tooMany(`${path}.length`, 100, raw.length)

  const rendered: Array<JsonObject> = []
  for (const [index, item] of raw.entries()) {
    const at = `${path}[${index}]`
    if (!isObject(item)) return invalid(`body failed validation: ${at} should be an object.`)
    const text = objectAt(item, "text")
    if (text === undefined) {
      rendered.push({ plain_text: "", href: null, annotations: defaultAnnotations, ...item })
      continue
    }
    const content = text.content
    if (typeof content !== "string") {
      return invalid(`body failed validation: ${at}.text.content should be a string.`)
    }
    if (content.length > limits.richText) {
      return tooMany(`${at}.text.content.length`, limits.richText, content.length)
    }
    const link = objectAt(text, "link")
    rendered.push({
      type: "text",
      text: { content, link: link ?? null },
      annotations: { ...defaultAnnotations, ...objectAt(item, "annotations") },
      plain_text: content,
      href: typeof link?.url === "string" ? link.url : null
    })
  }
  return valid(rendered)
}

/** A block of a request, checked, with its content rendered and its children apart. */
export interface BlockInput {
  readonly type: string
  readonly content: JsonObject
  readonly children: ReadonlyArray<BlockInput>
}

const typeOf = (block: JsonObject): string | undefined => {
  if (typeof block.type === "string") return block.type
  return Object.keys(block).find((key) => key !== "object" && isObject(block[key]))
}

const renderContent = (content: JsonObject, path: string, limits: Limits): Checked<JsonObject> => {
  const rendered: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(content)) {
    if (key === "children") continue
    if (key === "rich_text" || key === "caption") {
      const checked = richText(value, `${path}.${key}`, limits)
      if (checked._tag === "Invalid") return checked
      rendered[key] = checked.value
    } else {
      rendered[key] = value
    }
  }
  if ("rich_text" in rendered && !("color" in rendered)) rendered.color = "default"
  return valid(rendered)
}

/**
 * Checks the children of a request: at most `limits.children` per array, nested at most
 * `limits.depth` levels below the request's own blocks, rich text within its limit.
 */
export const children = (
  raw: unknown,
  path: string,
  limits: Limits,
  depth = 0
): Checked<ReadonlyArray<BlockInput>> => {
  if (!Array.isArray(raw)) return invalid(`body failed validation: ${path} should be an array.`)
  if (raw.length > limits.children) return tooMany(`${path}.length`, limits.children, raw.length)

  const blocks: Array<BlockInput> = []
  for (const [index, item] of raw.entries()) {
    const at = `${path}[${index}]`
    const type = isObject(item) ? typeOf(item) : undefined
    const content = isObject(item) && type !== undefined ? objectAt(item, type) : undefined
    if (!isObject(item) || type === undefined || content === undefined) {
      return invalid(`body failed validation: ${at} should be a block object with a type.`)
    }
    const rendered = renderContent(content, `${at}.${type}`, limits)
    if (rendered._tag === "Invalid") return rendered

    const nested = arrayAt(content, "children") ?? arrayAt(item, "children")
    if (nested !== undefined && nested.length > 0 && depth >= limits.depth) {
      return invalid(
        `body failed validation: ${at}.${type}.children should be not present: blocks nest at ` +
          `most ${limits.depth} levels deep in one request.`
      )
    }
    const checked =
      nested === undefined
        ? valid([])
        : children(nested, `${at}.${type}.children`, limits, depth + 1)
    if (checked._tag === "Invalid") return checked
    blocks.push({ type, content: rendered.value, children: checked.value })
  }
  return valid(blocks)
}

/** How many blocks a checked tree holds, at every level. */
export const countBlocks = (blocks: ReadonlyArray<BlockInput>): number =>
  blocks.reduce((sum, block) => sum + 1 + countBlocks(block.children), 0)

/** The value of a property nobody set yet. */
export const emptyValue = (type: string): unknown =>
  ["title", "rich_text", "multi_select", "people", "relation", "files"].includes(type)
    ? []
    : type === "checkbox"
      ? false
      : null

const propertyValue = (
  name: string,
  type: string,
  value: JsonObject,
  limits: Limits
): Checked<unknown> => {
  const expected = invalid(`${name} is expected to be ${type}.`)
  if (!(type in value) || (typeof value.type === "string" && value.type !== type)) return expected
  const raw = value[type]
  switch (type) {
    case "title":
    case "rich_text":
      return richText(raw, `body.properties.${name}.${type}`, limits)
    case "number":
      return raw === null || typeof raw === "number" ? valid(raw) : expected
    case "checkbox":
      return typeof raw === "boolean" ? valid(raw) : expected
    case "url":
    case "email":
    case "phone_number":
      return raw === null || typeof raw === "string" ? valid(raw) : expected
    case "select":
    case "date":
      return raw === null || isObject(raw) ? valid(raw) : expected
    default:
      return valid(raw)
  }
}

/**
 * Checks property values against a database's schema, or, for a page under a page, allows
 * only the title. Values are rendered as Notion answers them, keyed by property name.
 */
export const properties = (
  raw: unknown,
  schema: Readonly<Record<string, NotionPropertySchema>> | undefined,
  limits: Limits
): Checked<Record<string, JsonObject>> => {
  if (raw === undefined) return valid({})
  if (!isObject(raw)) return invalid("body failed validation: body.properties should be an object.")

  const rendered: Record<string, JsonObject> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (!isObject(value)) return invalid(`${key} is expected to be an object.`)
    const entry =
      schema === undefined
        ? key === "title" || "title" in value
          ? (["title", { id: "title", type: "title" }] as const)
          : undefined
        : Object.entries(schema).find(([name, property]) => name === key || property.id === key)
    if (entry === undefined) {
      return invalid(
        schema === undefined
          ? `Invalid property ${key}: a page whose parent is a page has only a title property.`
          : `${key} is not a property that exists.`
      )
    }
    const [name, property] = entry
    const checked = propertyValue(name, property.type, value, limits)
    if (checked._tag === "Invalid") return checked
    rendered[name] = { id: property.id, type: property.type, [property.type]: checked.value }
  }
  return valid(rendered)
}
