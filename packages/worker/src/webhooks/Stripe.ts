import { Config, Effect } from "effect"
import * as Limits from "../Limits"
import * as Hmac from "./Hmac"
import {
  recordOf,
  SignatureRejected,
  staleness,
  stringOf,
  unexpectedBody,
  type Vendor
} from "./Vendor"

/** The variable holding the endpoint's signing secret, `whsec_...`. */
export const secret = "STRIPE_WEBHOOK_SECRET"

/** Most `v1` signatures looked at in one header: Stripe sends one per active secret. */
const maxSignatures = 8

/** The timestamp and `v1` signatures of a `Stripe-Signature` header. */
const parseHeader = (header: string) => {
  let timestamp: string | undefined
  const signatures: Array<string> = []
  for (const part of header.split(",")) {
    const separator = part.indexOf("=")
    if (separator < 0) continue
    const key = part.slice(0, separator).trim()
    const value = part.slice(separator + 1).trim()
    if (key === "t" && timestamp === undefined) timestamp = value
    else if (key === "v1" && signatures.length < maxSignatures) signatures.push(value)
  }
  return { timestamp, signatures }
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...]`, each `v1` HMAC-SHA256(endpoint
 * secret, `${t}.${body}`); one matching `v1` within 300 s is enough. The event name is the body's
 * `type`, its id the body's `id`.
 */
export const vendor: Vendor = {
  service: "stripe",
  name: "Stripe",
  secret,
  tolerance: Config.succeed(300),
  mediaTypes: ["application/json"],
  verify: (signed) =>
    Effect.gen(function* () {
      const header = signed.headers.get("stripe-signature")
      if (header === null) return yield* new SignatureRejected({ reason: "missing" })
      const { timestamp, signatures } = parseHeader(header)
      const stale = staleness(timestamp, signed)
      if (stale !== undefined) return yield* stale
      if (signatures.length === 0) return yield* new SignatureRejected({ reason: "malformed" })
      const data = Hmac.message(`${timestamp}.`, signed.body)
      const matched = yield* Hmac.verifyAny(signed.secret, data, signatures)
      if (!matched) return yield* new SignatureRejected({ reason: "mismatch" })
    }),
  read: (verified) =>
    Effect.gen(function* () {
      const body = recordOf(yield* Limits.parse(verified.text, verified.limits))
      const type = stringOf(body?.type)
      const id = stringOf(body?.id)
      if (body === undefined || type === undefined || id === undefined) {
        return yield* unexpectedBody("Stripe", 'an event object with an "id" and a "type"')
      }
      return {
        _tag: "Event" as const,
        event: type,
        id,
        payload: body,
        acknowledge: "json" as const
      }
    })
}
