import { Config, Effect } from "effect"
import * as Limits from "../Limits"
import {
  type Delivery,
  recordOf,
  stringOf,
  unexpectedBody,
  type Vendor,
  type Verified,
  verifyV0
} from "./Vendor"

/** The variable holding the app's signing secret. */
export const secret = "SLACK_SIGNING_SECRET"

/** The event name a slash command's form body is delivered as. */
export const slashCommand = "slash_command"

const form = "application/x-www-form-urlencoded"

/** An Events API body: `url_verification`, or an `event_callback` named by its inner event. */
const readEvents = (verified: Verified) =>
  Effect.gen(function* () {
    const body = recordOf(yield* Limits.parse(verified.text, verified.limits))
    const type = stringOf(body?.type)
    if (body === undefined || type === undefined) {
      return yield* unexpectedBody("Slack", 'an object with a "type"')
    }
    if (type === "url_verification") {
      const challenge = stringOf(body.challenge)
      if (challenge === undefined) return yield* unexpectedBody("Slack", 'a "challenge" to answer')
      return { _tag: "Handshake", answer: { challenge } } satisfies Delivery
    }
    const event = type === "event_callback" ? stringOf(recordOf(body.event)?.type) : type
    if (event === undefined) return yield* unexpectedBody("Slack", 'an "event" with a "type"')
    return {
      _tag: "Event",
      event,
      id: stringOf(body.event_id),
      payload: body,
      acknowledge: "json"
    } satisfies Delivery
  })

/**
 * A form body: an interactive payload (`payload`, JSON, named by its `type`) or a slash command
 * (its fields, named `slash_command`). Slack does not redeliver either, so neither has an id.
 */
const readForm = (verified: Verified) =>
  Effect.gen(function* () {
    const fields = new URLSearchParams(verified.text)
    const payload = fields.get("payload")
    if (payload !== null) {
      const interaction = recordOf(yield* Limits.parse(payload, verified.limits))
      const type = stringOf(interaction?.type)
      if (interaction === undefined || type === undefined) {
        return yield* unexpectedBody("Slack", 'an interactive "payload" with a "type"')
      }
      return {
        _tag: "Event",
        event: type,
        id: undefined,
        payload: interaction,
        acknowledge: "empty"
      } satisfies Delivery
    }
    if (fields.has("command")) {
      return {
        _tag: "Event",
        event: slashCommand,
        id: undefined,
        payload: Object.fromEntries(fields),
        acknowledge: "empty"
      } satisfies Delivery
    }
    return yield* unexpectedBody("Slack", 'a form with a "payload" or a "command"')
  })

/**
 * Slack: `X-Slack-Signature: v0=<hex>` is HMAC-SHA256(signing secret,
 * `v0:${X-Slack-Request-Timestamp}:${body}`), within 5 minutes. Events API bodies are JSON
 * (`url_verification` is answered with its challenge); interactive payloads and slash commands
 * are forms.
 */
export const vendor: Vendor = {
  service: "slack",
  name: "Slack",
  secret,
  tolerance: Config.succeed(300),
  mediaTypes: ["application/json", form],
  verify: verifyV0({ timestamp: "x-slack-request-timestamp", signature: "x-slack-signature" }),
  read: (verified) => (verified.mediaType === form ? readForm(verified) : readEvents(verified))
}
