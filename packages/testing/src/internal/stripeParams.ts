import type { FormObject, FormValue } from "./stripeForm"
import type { StripeAddress, StripeCustomer } from "./stripeState"

/** A request parameter Stripe refuses, and why. */
export interface Refusal {
  readonly _tag: "Refusal"
  readonly param: string
  readonly code: string
  readonly message: string
}

const refuse = (param: string, code: string, message: string): Refusal => ({
  _tag: "Refusal",
  param,
  code,
  message
})

/** Changes to a customer, read from a create or update form. */
export interface CustomerChanges {
  readonly _tag: "Changes"
  readonly fields: Partial<
    Pick<
      StripeCustomer,
      "email" | "name" | "description" | "phone" | "address" | "preferred_locales"
    >
  >
  /** Keys to set; `null` removes a key (sent as an empty string). */
  readonly metadata: Readonly<Record<string, string | null>>
  /** `metadata=""`: every key removed before `metadata` is applied. */
  readonly clearMetadata: boolean
}

const stringFields = { email: 512, name: 256, description: 5000, phone: 20 } as const

const addressKeys = ["city", "country", "line1", "line2", "postal_code", "state"] as const

const isForm = (value: FormValue | undefined): value is FormObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Keys a list accepts besides paging and `expand`. */
export const unknownParam = (
  form: FormObject,
  allowed: ReadonlyArray<string>
): Refusal | undefined => {
  const unknown = Object.keys(form).find((key) => !allowed.includes(key))
  return unknown === undefined
    ? undefined
    : refuse(unknown, "parameter_unknown", `Received unknown parameter: ${unknown}`)
}

const readAddress = (value: FormValue): StripeAddress | null | Refusal => {
  if (value === "") return null
  if (!isForm(value)) return refuse("address", "parameter_invalid_string", "Invalid object")
  const unknown = Object.keys(value).find(
    (key) => !(addressKeys as ReadonlyArray<string>).includes(key)
  )
  if (unknown !== undefined) {
    return refuse(
      `address[${unknown}]`,
      "parameter_unknown",
      `Received unknown parameter: address[${unknown}]`
    )
  }
  const field = (key: (typeof addressKeys)[number]) => {
    const raw = value[key]
    return typeof raw === "string" && raw !== "" ? raw : null
  }
  return {
    city: field("city"),
    country: field("country"),
    line1: field("line1"),
    line2: field("line2"),
    postal_code: field("postal_code"),
    state: field("state")
  }
}

const readMetadata = (
  value: FormValue
): { metadata: Record<string, string | null>; clear: boolean } | Refusal => {
  if (value === "") return { metadata: {}, clear: true }
  if (!isForm(value)) return refuse("metadata", "parameter_invalid_string", "Invalid hash")
  const entries = Object.entries(value)
  if (entries.length > 50) {
    return refuse("metadata", "parameter_invalid_string", "Invalid metadata: at most 50 keys")
  }
  const metadata: Record<string, string | null> = {}
  for (const [key, raw] of entries) {
    if (typeof raw !== "string") {
      return refuse(
        `metadata[${key}]`,
        "parameter_invalid_string",
        "Invalid string: a metadata value must be a string"
      )
    }
    if (key.length > 40) {
      return refuse(
        `metadata[${key}]`,
        "parameter_invalid_string",
        "Metadata keys can be at most 40 characters"
      )
    }
    if (raw.length > 500) {
      return refuse(
        `metadata[${key}]`,
        "parameter_invalid_string",
        "Metadata values can be at most 500 characters"
      )
    }
    metadata[key] = raw === "" ? null : raw
  }
  return { metadata, clear: false }
}

/**
 * Reads the fields of `POST /v1/customers` and `POST /v1/customers/{id}`: strings within
 * Stripe's lengths (an empty string unsets), `address`, `preferred_locales`, `metadata` (an
 * empty value removes a key, `metadata=""` removes them all) and `expand`; any other key is
 * refused.
 */
export const customerChanges = (form: FormObject): CustomerChanges | Refusal => {
  const unknown = unknownParam(form, [
    ...Object.keys(stringFields),
    "address",
    "metadata",
    "expand",
    "preferred_locales"
  ])
  if (unknown !== undefined) return unknown
  const fields: Record<string, unknown> = {}
  for (const [key, max] of Object.entries(stringFields)) {
    const value = form[key]
    if (value === undefined) continue
    if (typeof value !== "string") {
      return refuse(key, "parameter_invalid_string", `Invalid string: ${JSON.stringify(value)}`)
    }
    if (value.length > max) {
      return refuse(
        key,
        "parameter_invalid_string_too_long",
        `${key} must be at most ${max} characters`
      )
    }
    if (key === "email" && value !== "" && !/^[^@\s]+@[^@\s]+$/.test(value)) {
      return refuse("email", "email_invalid", `Invalid email address: ${value}`)
    }
    fields[key] = value === "" ? null : value
  }
  const locales = form.preferred_locales
  if (locales !== undefined) {
    if (
      locales !== "" &&
      !(Array.isArray(locales) && locales.every((l) => typeof l === "string"))
    ) {
      return refuse("preferred_locales", "parameter_invalid_array", "Invalid array")
    }
    fields.preferred_locales = locales === "" ? [] : locales
  }
  if (form.address !== undefined) {
    const address = readAddress(form.address)
    if (address !== null && "_tag" in address) return address
    fields.address = address
  }
  let metadata: Record<string, string | null> = {}
  let clearMetadata = false
  if (form.metadata !== undefined) {
    const read = readMetadata(form.metadata)
    if ("_tag" in read) return read
    metadata = read.metadata
    clearMetadata = read.clear
  }
  return { _tag: "Changes", fields, metadata, clearMetadata }
}

/** Applies changes to a customer. */
export const applyChanges = (customer: StripeCustomer, changes: CustomerChanges): void => {
  Object.assign(customer, changes.fields)
  const metadata = changes.clearMetadata ? {} : { ...customer.metadata }
  for (const [key, value] of Object.entries(changes.metadata)) {
    if (value === null) delete metadata[key]
    else metadata[key] = value
  }
  customer.metadata = metadata
}
