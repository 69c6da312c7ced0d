import { isObject, type JsonObject } from "./json"
import { type NotionPage, type NotionPropertySchema, plainText } from "./notionState"
import type { Checked, Limits } from "./notionValidation"

const valid = <A>(value: A): Checked<A> => ({ _tag: "Valid", value })

const invalid = (message: string): Checked<never> => ({ _tag: "Invalid", message })

/** One page of a listing, shaped as Notion answers it. */
export interface Listed<A> {
  readonly results: ReadonlyArray<A>
  readonly next_cursor: string | null
  readonly has_more: boolean
}

/**
 * Pages a listing the way Notion does: `page_size` up to the limit (100), and a cursor that is
 * the id of the first item of the next page.
 */
export const paginate = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  options: { readonly startCursor: unknown; readonly pageSize: unknown; readonly where: string },
  limits: Limits
): Checked<Listed<A>> => {
  const rawSize = options.pageSize
  const pageSize =
    rawSize === undefined || rawSize === null || rawSize === "" ? limits.pageSize : Number(rawSize)
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    return invalid(
      `${options.where} failed validation: ${options.where}.page_size should be a positive integer.`
    )
  }
  if (pageSize > limits.pageSize) {
    return invalid(
      `${options.where} failed validation: ${options.where}.page_size should be ≤ ` +
        `\`${limits.pageSize}\`, instead was \`${pageSize}\`.`
    )
  }

  let start = 0
  const cursor = options.startCursor
  if (cursor !== undefined && cursor !== null && cursor !== "") {
    start = items.findIndex((item) => item.id === cursor)
    if (start < 0) return invalid(`The start_cursor provided is invalid: ${String(cursor)}`)
  }
  const next = items[start + pageSize]
  return valid({
    results: items.slice(start, start + pageSize),
    next_cursor: next === undefined ? null : next.id,
    has_more: next !== undefined
  })
}

type Predicate = (page: NotionPage) => boolean

const textTypes = ["title", "rich_text", "url", "email", "phone_number"]

const textOf = (value: JsonObject | undefined): string => {
  if (value === undefined) return ""
  const type = String(value.type)
  return type === "title" || type === "rich_text"
    ? plainText(value[type])
    : typeof value[type] === "string"
      ? String(value[type])
      : ""
}

const compare = (condition: string, actual: unknown, expected: unknown): boolean | undefined => {
  const empty = actual === null || actual === undefined || actual === ""
  switch (condition) {
    case "equals":
      return actual === expected
    case "does_not_equal":
      return actual !== expected
    case "contains":
      return typeof actual === "string" && actual.includes(String(expected))
    case "does_not_contain":
      return typeof actual === "string" && !actual.includes(String(expected))
    case "starts_with":
      return typeof actual === "string" && actual.startsWith(String(expected))
    case "ends_with":
      return typeof actual === "string" && actual.endsWith(String(expected))
    case "greater_than":
    case "after":
      return typeof actual === typeof expected && String(actual) > String(expected) && !empty
    case "less_than":
    case "before":
      return typeof actual === typeof expected && String(actual) < String(expected) && !empty
    case "greater_than_or_equal_to":
    case "on_or_after":
      return typeof actual === typeof expected && String(actual) >= String(expected) && !empty
    case "less_than_or_equal_to":
    case "on_or_before":
      return typeof actual === typeof expected && String(actual) <= String(expected) && !empty
    case "is_empty":
      return empty
    case "is_not_empty":
      return !empty
    default:
      return undefined
  }
}

const comparable = (type: string, value: JsonObject | undefined): unknown => {
  if (textTypes.includes(type)) return textOf(value)
  const raw = value?.[type]
  if (type === "select" && isObject(raw)) return raw.name
  if (type === "date" && isObject(raw)) return raw.start
  return raw
}

const propertyFilter = (
  filter: JsonObject,
  schema: Readonly<Record<string, NotionPropertySchema>>
): Checked<Predicate> => {
  const key = String(filter.property)
  const entry = Object.entries(schema).find(([name, p]) => name === key || p.id === key)
  if (entry === undefined) return invalid(`Could not find property with name or id: ${key}`)
  const [name, property] = entry

  const filterType = Object.keys(filter).find((k) => k !== "property" && k !== "type")
  const condition = filterType === undefined ? undefined : filter[filterType]
  if (filterType === undefined || !isObject(condition)) {
    return invalid(`body failed validation: body.filter.${filterType ?? name} should be an object.`)
  }
  const textual = textTypes.includes(property.type) && textTypes.includes(filterType)
  if (filterType !== property.type && !textual) {
    return invalid(`database property ${property.type} does not match filter ${filterType}`)
  }
  const [operator, expected] = Object.entries(condition)[0] ?? []
  if (operator === undefined || compare(operator, undefined, expected) === undefined) {
    return invalid(`body failed validation: body.filter.${filterType} has no supported condition.`)
  }
  return valid(
    (page) => compare(operator, comparable(property.type, page.properties[name]), expected) === true
  )
}

/** Compiles a database query filter: property filters combined with `and` / `or`. */
export const compileFilter = (
  filter: unknown,
  schema: Readonly<Record<string, NotionPropertySchema>>
): Checked<Predicate> => {
  if (filter === undefined || filter === null) return valid(() => true)
  if (!isObject(filter)) return invalid("body failed validation: body.filter should be an object.")

  for (const combinator of ["and", "or"] as const) {
    const parts = filter[combinator]
    if (!Array.isArray(parts)) continue
    const predicates: Array<Predicate> = []
    for (const part of parts) {
      const compiled = compileFilter(part, schema)
      if (compiled._tag === "Invalid") return compiled
      predicates.push(compiled.value)
    }
    return valid((page) =>
      combinator === "and" ? predicates.every((p) => p(page)) : predicates.some((p) => p(page))
    )
  }
  if (typeof filter.property === "string") return propertyFilter(filter, schema)
  return invalid("body failed validation: body.filter should have a property, `and` or `or`.")
}

/** Sorts pages by `sorts` (properties or timestamps), newest first when none are given. */
export const sortPages = (
  pages: ReadonlyArray<NotionPage>,
  sorts: unknown
): Checked<ReadonlyArray<NotionPage>> => {
  const byCreation = [...pages].sort((a, b) => b.sequence - a.sequence)
  if (sorts === undefined) return valid(byCreation)
  if (!Array.isArray(sorts) || !sorts.every(isObject)) {
    return invalid("body failed validation: body.sorts should be an array of sort objects.")
  }
  const keyOf = (page: NotionPage, sort: JsonObject): string | number => {
    if (sort.timestamp === "last_edited_time") return page.lastEditedTime
    if (sort.timestamp === "created_time") return page.createdTime
    const value = page.properties[String(sort.property)]
    const raw = comparable(String(value?.type), value)
    return typeof raw === "number" ? raw : String(raw ?? "")
  }
  return valid(
    [...pages].sort((a, b) => {
      for (const sort of sorts) {
        const [x, y] = [keyOf(a, sort), keyOf(b, sort)]
        if (x === y) continue
        return (x < y ? -1 : 1) * (sort.direction === "descending" ? -1 : 1)
      }
      return a.sequence - b.sequence
    })
  )
}
