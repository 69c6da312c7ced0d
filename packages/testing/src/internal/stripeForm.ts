/** A value of a decoded Stripe form: a string, a list or a nested object. */
export type FormValue = string | ReadonlyArray<FormValue> | FormObject

/** A decoded Stripe form, with bracket notation turned into nesting. */
export interface FormObject {
  readonly [key: string]: FormValue
}

type Mutable = { [key: string]: unknown } | Array<unknown>

/** The path of a bracketed key: `metadata[crm_id]` is `metadata`, `crm_id`; `expand[]` ends in `""`. */
const pathOf = (key: string): ReadonlyArray<string> | undefined => {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key)
  if (match === null) return undefined
  const rest = [...(match[2] ?? "").matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")
  return [match[1]!, ...rest]
}

const assign = (target: Mutable, path: ReadonlyArray<string>, value: string): boolean => {
  const [head, ...rest] = path
  if (head === undefined) return false
  const isList = Array.isArray(target)
  if (isList && head !== "" && !/^\d+$/.test(head)) return false
  if (!isList && head === "") return false
  if (rest.length === 0) {
    if (isList) {
      if (head === "") target.push(value)
      else target[Number(head)] = value
    } else target[head] = value
    return true
  }
  const childIsList = rest[0] === "" || /^\d+$/.test(rest[0]!)
  const existing: unknown = isList
    ? head === ""
      ? undefined
      : target[Number(head)]
    : (target as Record<string, unknown>)[head]
  let child: Mutable
  if (existing === undefined) {
    child = childIsList ? [] : {}
    if (isList) {
      if (head === "") target.push(child)
      else target[Number(head)] = child
    } else target[head] = child
  } else if (typeof existing === "object" && existing !== null) {
    child = existing as Mutable
  } else {
    return false
  }
  return assign(child, rest, value)
}

/**
 * Decodes `application/x-www-form-urlencoded` pairs with Stripe's bracket notation:
 * `metadata[crm_id]=42` nests, `expand[]=a&expand[]=b` and `items[0][price]=p` make lists.
 * Answers the offending key when a key cannot be read.
 */
export const decode = (
  params: URLSearchParams
):
  | { readonly _tag: "Form"; readonly form: FormObject }
  | { readonly _tag: "Invalid"; readonly key: string } => {
  const form: Record<string, unknown> = {}
  for (const [key, value] of params) {
    const path = pathOf(key)
    if (path === undefined || !assign(form, path, value)) return { _tag: "Invalid", key }
  }
  return { _tag: "Form", form: form as FormObject }
}

/** A canonical text of a form, equal for equal parameters whatever their order. */
export const fingerprint = (value: FormValue | undefined): string => {
  if (value === undefined) return ""
  if (typeof value === "string") return JSON.stringify(value)
  if (Array.isArray(value))
    return `[${value.map((item: FormValue) => fingerprint(item)).join(",")}]`
  const object = value as FormObject
  return `{${Object.keys(object)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${fingerprint(object[key])}`)
    .join(",")}}`
}
