/** A JSON object read from a request, before validation. */
export type JsonObject = Readonly<Record<string, unknown>>

/** Whether a value is a plain JSON object (not an array, not null). */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** The string at `key`, if it is one. */
export const stringAt = (object: JsonObject, key: string): string | undefined => {
  const value = object[key]
  return typeof value === "string" ? value : undefined
}

/** The object at `key`, if it is one. */
export const objectAt = (object: JsonObject, key: string): JsonObject | undefined => {
  const value = object[key]
  return isObject(value) ? value : undefined
}

/** The array at `key`, if it is one. */
export const arrayAt = (object: JsonObject, key: string): ReadonlyArray<unknown> | undefined => {
  const value = object[key]
  return Array.isArray(value) ? value : undefined
}
