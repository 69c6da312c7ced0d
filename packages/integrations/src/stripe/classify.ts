import type { IntegrationFailure } from "@workway/core"
import { Classify } from "@workway/http"

const header = (answer: Classify.Answer, name: string): string | undefined => {
  const key = Object.keys(answer.headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : answer.headers[key]
}

/** The `type`, `code` and `message` of Stripe's error envelope. */
export const stripeError = (body: string): { type: string; code: string; message: string } => {
  try {
    const parsed: unknown = JSON.parse(body)
    const error =
      typeof parsed === "object" && parsed !== null
        ? (parsed as { error?: Record<string, unknown> }).error
        : undefined
    const text = (value: unknown) => (typeof value === "string" ? value : "")
    return {
      type: text(error?.type),
      code: text(error?.code),
      message: text(error?.message) || Classify.excerpt(body)
    }
  } catch {
    return { type: "", code: "", message: Classify.excerpt(body) }
  }
}

const failureOf = (status: number): IntegrationFailure => {
  if (status === 429) return "RateLimited"
  if (status === 401 || status === 403) return "Unauthorized"
  if (status === 404) return "NotFound"
  if (status === 400 || status === 409) return "Invalid"
  if (status === 408 || status >= 500) return "Transient"
  return "Permanent"
}

/**
 * Stripe's answers. `Stripe-Should-Retry` overrides everything else: `false` fails the call at
 * once, even a 429; `true` retries it, even a POST or a 409. Without it, 429 throttles, 5xx may
 * pass, and the rest fail with Stripe's `code` (or `type`): `idempotency_error` when a key was
 * reused with other parameters, `card_error` on a 402.
 */
export const classify: Classify.Classifier = (answer) => {
  const { status } = answer
  if (status >= 200 && status < 300) return Classify.ok
  const { type, code, message } = stripeError(answer.body)
  const name = code || type || `http_${status}`
  const detail = type === "" || type === name ? message : `${type}: ${message}`
  const shouldRetry = header(answer, "stripe-should-retry")?.trim().toLowerCase()
  if (shouldRetry === "false") return Classify.failed(failureOf(status), name, detail)
  if (status === 429) return Classify.throttled(answer, name, detail)
  if (shouldRetry === "true")
    return { ...Classify.transient(answer, name, detail), retrySafe: true }
  if (status === 408 || status >= 500) return Classify.transient(answer, name, detail)
  return Classify.failed(failureOf(status), name, detail)
}
