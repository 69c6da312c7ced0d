import { Schema } from "effect"

/** One problem found while decoding input, located by its path in the document. */
export const Issue = Schema.Struct({
  path: Schema.String,
  message: Schema.String
})
export type Issue = typeof Issue.Type

/** Input (a trigger payload or workflow inputs) did not match its schema. */
export class InvalidPayload extends Schema.TaggedError<InvalidPayload>()("InvalidPayload", {
  /** Which input was invalid: the caller's trigger payload or the deployment's inputs. */
  source: Schema.Literal("trigger", "inputs"),
  message: Schema.String,
  issues: Schema.Array(Issue)
}) {}

/** Why an outbound call to a vendor failed. */
export const IntegrationFailure = Schema.Literal(
  "RateLimited",
  "Transient",
  "Timeout",
  "Unauthorized",
  "NotFound",
  "Invalid",
  "Permanent",
  "Decode",
  "Transport"
)
export type IntegrationFailure = typeof IntegrationFailure.Type

/**
 * An outbound call to a vendor failed for good: it says which service and call, how many
 * attempts were made, and why the last one failed.
 */
export class IntegrationError extends Schema.TaggedError<IntegrationError>()("IntegrationError", {
  service: Schema.String,
  call: Schema.String,
  reason: IntegrationFailure,
  attempts: Schema.Number,
  status: Schema.optional(Schema.Number),
  code: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  override get message(): string {
    const status = this.status === undefined ? "" : ` (HTTP ${this.status})`
    const tries = this.attempts === 1 ? "1 attempt" : `${this.attempts} attempts`
    return `${this.service} ${this.call} failed after ${tries}: ${this.reason}${status}: ${this.detail}`
  }
}

/**
 * The invocation's subrequest budget is spent: the next outbound request would exceed it.
 * A checkpointed run continues in another invocation.
 */
export class BudgetExhausted extends Schema.TaggedError<BudgetExhausted>()("BudgetExhausted", {
  service: Schema.String,
  call: Schema.String,
  limit: Schema.Number
}) {
  override get message(): string {
    return (
      `Subrequest budget of ${this.limit} spent before ${this.service} ${this.call}; ` +
      `continue the run in a new invocation`
    )
  }
}

/** Reading or writing durable state failed. */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  operation: Schema.Literal("get", "set", "delete"),
  key: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Storage ${this.operation} of "${this.key}" failed: ${this.detail}`
  }
}

/** Configuration (environment variables or Worker bindings) is missing or malformed. */
export class ConfigurationError extends Schema.TaggedError<ConfigurationError>()(
  "ConfigurationError",
  { detail: Schema.String }
) {
  override get message(): string {
    return `Configuration error: ${this.detail}`
  }
}
