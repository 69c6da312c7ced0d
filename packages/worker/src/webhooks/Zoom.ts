import { Config, Effect } from "effect"
import * as Limits from "../Limits"
import * as Hmac from "./Hmac"
import { recordOf, stringOf, unexpectedBody, type Vendor, type Verified, verifyV0 } from "./Vendor"

/** The variable holding the app's webhook secret token. */
export const secret = "ZOOM_WEBHOOK_SECRET_TOKEN"

/** The variable overriding the timestamp tolerance, in seconds (default 300). */
export const toleranceVariable = "ZOOM_WEBHOOK_TOLERANCE_SECONDS"

/**
 * What stays the same when Zoom delivers an event again: the event, its time and the object it
 * is about, read from the body Zoom resends unchanged; else the `x-zm-request-id` header.
 */
const identity = (
  body: Record<string, unknown>,
  event: string,
  headers: Headers
): string | undefined => {
  const object = recordOf(recordOf(body.payload)?.object)
  const subject =
    stringOf(object?.uuid) ?? (object?.id === undefined ? undefined : String(object.id))
  const at = body.event_ts
  if (subject !== undefined && (typeof at === "number" || typeof at === "string")) {
    return `${event}:${at}:${subject}`
  }
  return stringOf(headers.get("x-zm-request-id"))
}

const read = (verified: Verified) =>
  Effect.gen(function* () {
    const body = recordOf(yield* Limits.parse(verified.text, verified.limits))
    const event = stringOf(body?.event)
    if (body === undefined || event === undefined) {
      return yield* unexpectedBody("Zoom", 'an object with an "event" name')
    }
    if (event === "endpoint.url_validation") {
      const plainToken = stringOf(recordOf(body.payload)?.plainToken)
      if (plainToken === undefined) {
        return yield* unexpectedBody("Zoom", 'a "payload.plainToken" to validate the endpoint')
      }
      const encryptedToken = yield* Hmac.signHex(verified.secret, plainToken)
      return { _tag: "Handshake" as const, answer: { plainToken, encryptedToken } }
    }
    return {
      _tag: "Event" as const,
      event,
      id: identity(body, event, verified.headers),
      payload: body,
      acknowledge: "json" as const
    }
  })

/**
 * Zoom: `x-zm-signature: v0=<hex>` is HMAC-SHA256(secret token,
 * `v0:${x-zm-request-timestamp}:${body}`); the event name is the body's `event`.
 * `endpoint.url_validation` is answered with the plain token and its HMAC.
 */
export const vendor: Vendor = {
  service: "zoom",
  name: "Zoom",
  secret,
  tolerance: Config.withDefault(Config.number(toleranceVariable), 300),
  mediaTypes: ["application/json"],
  verify: verifyV0({ timestamp: "x-zm-request-timestamp", signature: "x-zm-signature" }),
  read
}
