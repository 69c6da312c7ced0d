import { type Config, Data, Effect, type Redacted } from "effect"
import type { BodyRejected } from "../Body"
import type { JsonLimits, LimitExceeded } from "../Limits"
import * as Hmac from "./Hmac"

/** The vendors whose webhooks a Worker verifies. */
export type Service = "zoom" | "slack" | "stripe"

/**
 * A webhook's signature did not verify. The reason is for the Worker's logs; the caller is told
 * only that the signature was refused.
 */
export class SignatureRejected extends Data.TaggedError("SignatureRejected")<{
  readonly reason: "missing" | "malformed" | "stale" | "mismatch"
}> {
  override get message(): string {
    return `Webhook signature refused: ${this.reason}`
  }
}

/** A signed webhook that cannot be handled as sent: its media type, encoding or shape. */
export class WebhookRejected extends Data.TaggedError("WebhookRejected")<{
  readonly status: 400 | 404 | 405 | 415
  readonly type: string
  readonly message: string
  readonly headers?: Record<string, string>
}> {}

/** What a verified webhook asks for. */
export type Delivery =
  /** A vendor checking the endpoint; answered with `answer` and nothing else happens. */
  | { readonly _tag: "Handshake"; readonly answer: unknown }
  /** An event that may start the workflow. */
  | {
      readonly _tag: "Event"
      /** The event's name, compared with the workflow trigger's `event`. */
      readonly event: string
      /** What stays the same when the vendor delivers the event again, when it says so. */
      readonly id: string | undefined
      /** The trigger payload the workflow decodes. */
      readonly payload: unknown
      /** `empty`: the vendor expects an empty 200 body (Slack interactive payloads). */
      readonly acknowledge: "json" | "empty"
    }

/** A request's signature material. */
export interface Signed {
  readonly headers: Headers
  /** The body exactly as received. */
  readonly body: Uint8Array
  readonly secret: Redacted.Redacted<string>
  /** The current time, in milliseconds since the epoch. */
  readonly now: number
  /** Largest accepted distance between the signed timestamp and now, in seconds. */
  readonly toleranceSeconds: number
}

/** A verified request's body, to be read as a delivery. */
export interface Verified {
  readonly headers: Headers
  readonly text: string
  /** The media type of the body, lower case, without parameters. */
  readonly mediaType: string
  readonly secret: Redacted.Redacted<string>
  readonly limits: JsonLimits
}

/** How one vendor signs its webhooks and what their bodies mean. */
export interface Vendor {
  readonly service: Service
  /** The vendor's name, for messages. */
  readonly name: string
  /** The variable (a Worker secret) holding the signing secret. */
  readonly secret: string
  /** The timestamp tolerance, in seconds. */
  readonly tolerance: Config.Config<number>
  /** Media types the vendor sends. */
  readonly mediaTypes: ReadonlyArray<string>
  /** Checks the signature over the raw body and the freshness of its timestamp. */
  readonly verify: (signed: Signed) => Effect.Effect<void, SignatureRejected>
  /** Reads what a verified body asks for. */
  readonly read: (
    verified: Verified
  ) => Effect.Effect<Delivery, WebhookRejected | LimitExceeded | BodyRejected>
}

/** The unix seconds a signature header carries, when it carries them in plain digits. */
const secondsOf = (value: string): number | undefined =>
  /^\d{1,12}$/.test(value) ? Number(value) : undefined

/**
 * Why a signed timestamp is refused, if it is: absent, not plain digits, or further than the
 * tolerance from now, in either direction.
 */
export const staleness = (
  timestamp: string | null | undefined,
  signed: Pick<Signed, "now" | "toleranceSeconds">
): SignatureRejected | undefined => {
  if (timestamp === null || timestamp === undefined)
    return new SignatureRejected({ reason: "missing" })
  const seconds = secondsOf(timestamp)
  if (seconds === undefined) return new SignatureRejected({ reason: "malformed" })
  return Math.abs(signed.now / 1000 - seconds) > signed.toleranceSeconds
    ? new SignatureRejected({ reason: "stale" })
    : undefined
}

/** A record, or `undefined` for anything else. */
export const recordOf = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/** A non-empty string, or `undefined`. */
export const stringOf = (value: unknown): string | undefined =>
  typeof value === "string" && value.length > 0 ? value : undefined

/** A signed body that is not the object a vendor sends. */
export const unexpectedBody = (vendor: string, expected: string): WebhookRejected =>
  new WebhookRejected({
    status: 400,
    type: "InvalidWebhook",
    message: `The body is not a ${vendor} webhook: expected ${expected}`
  })

/**
 * Verifies the `v0` scheme Zoom and Slack share: `<signature header>: v0=<hex>` is the
 * HMAC-SHA256 of `v0:<timestamp>:<raw body>`, the timestamp in its own header.
 */
export const verifyV0 =
  (headers: { readonly timestamp: string; readonly signature: string }) =>
  (signed: Signed): Effect.Effect<void, SignatureRejected> =>
    Effect.gen(function* () {
      const timestamp = signed.headers.get(headers.timestamp)
      const signature = signed.headers.get(headers.signature)
      if (signature === null) return yield* new SignatureRejected({ reason: "missing" })
      const stale = staleness(timestamp, signed)
      if (stale !== undefined) return yield* stale
      if (!signature.startsWith("v0=")) return yield* new SignatureRejected({ reason: "malformed" })
      const data = Hmac.message(`v0:${timestamp}:`, signed.body)
      const matched = yield* Hmac.verifyAny(signed.secret, data, [signature.slice(3)])
      if (!matched) return yield* new SignatureRejected({ reason: "mismatch" })
    })
