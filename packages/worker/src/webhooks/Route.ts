import {
  ConfigurationError,
  InvalidPayload,
  Issues,
  type StorageError,
  type Trigger
} from "@workway/core"
import { Clock, Config, Effect, Option, Redacted, Schema } from "effect"
import type { WorkerContext, WorkerEnv } from "../Bindings"
import * as Body from "../Body"
import type * as Limits from "../Limits"
import * as Respond from "../Respond"
import * as Dedupe from "./Dedupe"
import * as Slack from "./Slack"
import * as Stripe from "./Stripe"
import type { Delivery, Service, SignatureRejected, Vendor } from "./Vendor"
import { WebhookRejected } from "./Vendor"
import * as Zoom from "./Zoom"

/** Where webhooks are received: `POST /webhooks/<service>`. */
export const prefix = "/webhooks/"

/** Every vendor a Worker verifies webhooks of, by the service name in its path and trigger. */
export const vendors: Readonly<Record<Service, Vendor>> = {
  zoom: Zoom.vendor,
  slack: Slack.vendor,
  stripe: Stripe.vendor
}

/** Starts one run of the workflow in the background, with the trigger payload and run id. */
export type Start = (payload: unknown, runId: string) => void

/** What the webhook routes need from the Worker serving them. */
export interface RouteOptions {
  /** The workflow's trigger: only its service's route is served, only its event starts a run. */
  readonly trigger: Trigger.Trigger<unknown, unknown>
  readonly limits: Limits.BodyLimits
  /** Builds the workflow's services, failing when they are misconfigured, and answers a starter. */
  readonly prepare: Effect.Effect<Start, ConfigurationError, WorkerEnv | WorkerContext>
  /** Where delivered event ids are recorded (default: `WORKWAY_STATE`, else memory). */
  readonly dedupe?: Dedupe.Dedupe
}

type Rejection =
  | SignatureRejected
  | WebhookRejected
  | Limits.LimitExceeded
  | Body.BodyRejected
  | InvalidPayload
  | ConfigurationError
  | StorageError

const mediaTypeOf = (headers: Headers): string =>
  (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase()

const secretOf = (vendor: Vendor) =>
  Config.option(Config.redacted(vendor.secret)).pipe(
    Effect.mapError((error) => new ConfigurationError({ detail: String(error) })),
    Effect.flatMap((secret) =>
      Option.isSome(secret) && Redacted.value(secret.value).length > 0
        ? Effect.succeed(secret.value)
        : new ConfigurationError({
            detail:
              `${vendor.secret} is not set, so ${vendor.name} webhooks cannot be verified and ` +
              `are refused; add it with \`wrangler secret put ${vendor.secret}\``
          })
    )
  )

const toleranceOf = (vendor: Vendor) =>
  vendor.tolerance.pipe(
    Config.validate({
      message: "must be a number of seconds between 1 and 86400",
      validation: (seconds) => seconds > 0 && seconds <= 86_400
    }),
    Effect.mapError((error) => new ConfigurationError({ detail: String(error) }))
  )

const listensTo = (trigger: Trigger.Trigger<unknown, unknown>): string =>
  trigger._tag === "Webhook"
    ? `it starts on ${trigger.service} ${trigger.event}`
    : "its workflow does not start on webhooks"

/** What a refused webhook is answered; a signature failure says nothing more than that. */
const answerRejection = (rejection: Rejection): Response => {
  switch (rejection._tag) {
    case "SignatureRejected":
      return Respond.error(401, "InvalidSignature", "The webhook signature could not be verified")
    case "WebhookRejected":
      return Respond.error(
        rejection.status,
        rejection.type,
        rejection.message,
        {},
        rejection.headers
      )
    case "LimitExceeded":
      return Respond.error(400, "LimitExceeded", rejection.message)
    case "BodyRejected":
      return Respond.error(rejection.status, rejection.type, rejection.message)
    case "InvalidPayload":
      return Respond.error(400, "InvalidPayload", rejection.message, { issues: rejection.issues })
    case "ConfigurationError":
      return Respond.error(500, "ConfigurationError", rejection.message)
    case "StorageError":
      return Respond.error(
        503,
        "StateUnavailable",
        "The event could not be recorded, so it was not started; deliver it again",
        {},
        { "retry-after": "5" }
      )
  }
}

const decodeTrigger = (schema: Schema.Schema<unknown, unknown>, payload: unknown) =>
  Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(payload).pipe(
    Effect.mapError(
      (error) =>
        new InvalidPayload({
          source: "trigger",
          message: "The webhook event does not match the workflow's trigger payload",
          issues: Issues.fromParseError(error)
        })
    )
  )

/**
 * The webhook routes: `POST /webhooks/zoom`, `/webhooks/slack` and `/webhooks/stripe`. Each
 * checks the body's media type and size, verifies the vendor's signature over the raw bytes
 * (refusing with 401 when it does not match or is stale, and with 500 when the secret is not
 * configured), answers the vendor's endpoint handshake, and starts the workflow when the event is
 * the one its trigger names. Other events are answered `{ ignored: true }`, and an event
 * delivered again `{ duplicate: true }`.
 *
 * A run is started in the background (`ctx.waitUntil`) and the vendor answered at once with
 * `{ accepted: true, runId }`: Zoom and Slack wait 3 s for an answer before delivering again. The
 * run's outcome goes to the logs.
 *
 * **Note**: background work outlives the response by about 30 s on Workers; a longer workflow
 * must checkpoint and continue in another invocation.
 */
export const make = (options: RouteOptions) => {
  const dedupe = options.dedupe ?? Dedupe.make()
  const { trigger, limits } = options

  const handle = (request: Request, vendor: Vendor) =>
    Effect.gen(function* () {
      const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase()
      if (encoding !== "identity" && encoding !== "") {
        return yield* new WebhookRejected({
          status: 415,
          type: "UnsupportedEncoding",
          message: `${vendor.name} webhooks are not compressed; send them without Content-Encoding`
        })
      }
      const mediaType = mediaTypeOf(request.headers)
      if (!vendor.mediaTypes.includes(mediaType)) {
        return yield* new WebhookRejected({
          status: 415,
          type: "UnsupportedMediaType",
          message: `${vendor.name} webhooks are sent as ${vendor.mediaTypes.join(" or ")}`
        })
      }

      const secret = yield* secretOf(vendor)
      const toleranceSeconds = yield* toleranceOf(vendor)
      const body = yield* Body.readBytes(request, limits.maxBodyBytes)
      const now = yield* Clock.currentTimeMillis
      yield* vendor.verify({ headers: request.headers, body, secret, now, toleranceSeconds })

      const text = yield* Body.utf8(body)
      const delivery = yield* vendor.read({
        headers: request.headers,
        text,
        mediaType,
        secret,
        limits
      })
      if (delivery._tag === "Handshake") return Respond.json(delivery.answer)
      return yield* deliver(vendor.service, delivery)
    })

  const deliver = (service: Service, delivery: Extract<Delivery, { _tag: "Event" }>) =>
    Effect.gen(function* () {
      const answer = (body: Record<string, unknown>) =>
        delivery.acknowledge === "empty"
          ? new Response(null, { status: 200 })
          : Respond.json({ success: true, event: delivery.event, ...body })
      if (trigger._tag !== "Webhook" || trigger.event !== delivery.event) {
        yield* Effect.logInfo("webhook ignored")
        return answer({ ignored: true })
      }

      const payload = yield* decodeTrigger(trigger.payload, delivery.payload)
      const start = yield* options.prepare
      const runId = crypto.randomUUID()
      if (delivery.id !== undefined && !(yield* dedupe.first(service, delivery.id, runId))) {
        yield* Effect.logInfo("webhook duplicate").pipe(Effect.annotateLogs({ id: delivery.id }))
        return answer({ duplicate: true })
      }
      start(payload, runId)
      yield* Effect.logInfo("webhook accepted").pipe(Effect.annotateLogs({ runId }))
      return answer({ accepted: true, runId })
    }).pipe(Effect.annotateLogs({ event: delivery.event }))

  /** Answers a request to a path under `/webhooks/`. */
  return (
    request: Request,
    pathname: string
  ): Effect.Effect<Response, never, WorkerEnv | WorkerContext> => {
    const service = pathname.slice(prefix.length)
    const vendor = Object.hasOwn(vendors, service) ? vendors[service as Service] : undefined
    if (vendor === undefined || trigger._tag !== "Webhook" || trigger.service !== service) {
      return Effect.succeed(
        Respond.error(404, "NotFound", `No webhook route for ${pathname}: ${listensTo(trigger)}`)
      )
    }
    if (request.method !== "POST") {
      return Effect.succeed(
        Respond.error(405, "MethodNotAllowed", "Use POST for this path", {}, { allow: "POST" })
      )
    }
    return handle(request, vendor).pipe(
      Effect.tapErrorTag("SignatureRejected", (rejection) =>
        Effect.logWarning("webhook signature refused").pipe(
          Effect.annotateLogs({ reason: rejection.reason })
        )
      ),
      Effect.tapErrorTag("ConfigurationError", (error) =>
        Effect.logError("webhook refused: configuration").pipe(
          Effect.annotateLogs({ detail: error.detail })
        )
      ),
      Effect.tapErrorTag("StorageError", (error) =>
        Effect.logError("webhook not recorded: state unavailable").pipe(
          Effect.annotateLogs({ detail: error.message })
        )
      ),
      Effect.catchAll((rejection) => Effect.succeed(answerRejection(rejection))),
      Effect.annotateLogs({ service: vendor.service })
    )
  }
}
