import { Cron, Either, Schema } from "effect"

/** Starts a workflow when a vendor sends a webhook event. */
export interface Webhook<A, I> {
  readonly _tag: "Webhook"
  readonly service: string
  readonly event: string
  readonly payload: Schema.Schema<A, I>
}

/** Starts a workflow on request (`POST /execute`, the CLI, a test). */
export interface Manual<A, I> {
  readonly _tag: "Manual"
  readonly payload: Schema.Schema<A, I>
}

/** The payload a scheduled run receives. */
export const ScheduledEvent = Schema.Struct({
  cron: Schema.String,
  scheduledTime: Schema.Number
})
export type ScheduledEvent = typeof ScheduledEvent.Type

/** Starts a workflow on a cron schedule. */
export interface Schedule<A = ScheduledEvent, I = typeof ScheduledEvent.Encoded> {
  readonly _tag: "Schedule"
  readonly cron: string
  readonly parsed: Cron.Cron
  readonly payload: Schema.Schema<A, I>
}

/** Any trigger, typed by the payload it decodes to. */
export type Trigger<A = unknown, I = unknown> = Webhook<A, I> | Manual<A, I> | Schedule<A, I>

/** A webhook trigger for one vendor event, with the schema of its payload. */
export const webhook = <A, I>(options: {
  readonly service: string
  readonly event: string
  readonly payload: Schema.Schema<A, I>
}): Webhook<A, I> => ({ _tag: "Webhook", ...options })

/** A trigger started on request, with the schema of its payload. */
export const manual = <A, I>(options: { readonly payload: Schema.Schema<A, I> }): Manual<A, I> => ({
  _tag: "Manual",
  ...options
})

/** Parses a five-field cron expression, or explains why it is not one. */
export const parseCron = (expression: string): Either.Either<Cron.Cron, string> =>
  Cron.parse(expression).pipe(
    Either.mapLeft((error) => `Invalid cron expression "${expression}": ${error.message}`)
  )

/**
 * A trigger that runs on a cron schedule.
 *
 * **Note**: the expression is validated when the workflow is defined; an invalid one throws,
 * so a typo fails at start-up rather than silently never running.
 */
export const schedule = (cron: string): Schedule => {
  const parsed = parseCron(cron)
  if (Either.isLeft(parsed)) {
    throw new Error(parsed.left)
  }
  return { _tag: "Schedule", cron, parsed: parsed.right, payload: ScheduledEvent }
}
