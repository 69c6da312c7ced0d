/** A value a Stripe form can carry. `undefined` leaves the field out; `null` sends it empty. */
export type FormValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | ReadonlyArray<FormValue>
  | { readonly [key: string]: FormValue }

const pairs = (prefix: string, value: FormValue): ReadonlyArray<readonly [string, string]> => {
  if (value === undefined) return []
  if (value === null) return [[prefix, ""]]
  if (typeof value !== "object") return [[prefix, String(value)]]
  if (Array.isArray(value)) {
    const items = value as ReadonlyArray<FormValue>
    return items.flatMap((item, index) =>
      typeof item === "object" && item !== null
        ? pairs(`${prefix}[${index}]`, item)
        : pairs(`${prefix}[]`, item)
    )
  }
  return Object.entries(value as { readonly [key: string]: FormValue }).flatMap(([key, item]) =>
    pairs(`${prefix}[${key}]`, item)
  )
}

/**
 * Encodes parameters as Stripe's `application/x-www-form-urlencoded` bodies: nested objects in
 * brackets (`metadata[crm_id]=42`), lists of scalars as `expand[]=a&expand[]=b`, lists of
 * objects by index (`items[0][price]=p`). `null` is sent as an empty string, which unsets a
 * field; `undefined` is left out.
 */
export const encode = (params: { readonly [key: string]: FormValue }): string => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    for (const [name, text] of pairs(key, value)) search.append(name, text)
  }
  // Brackets stay readable, as Stripe's own libraries send them; Stripe decodes either form.
  return search.toString().replace(/%5B/gi, "[").replace(/%5D/gi, "]")
}
