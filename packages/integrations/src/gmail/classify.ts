import { Classify } from "@workway/http"

/** Reasons of a 403 that mean "slow down", not "not allowed". */
const throttleReasons = new Set(["userRateLimitExceeded", "rateLimitExceeded"])

/** Reasons that will not pass within a call's retry window: the day's quota is spent. */
const exhaustedReasons = new Set(["dailyLimitExceeded", "quotaExceeded"])

/** The first `errors[].reason` and the message of a Google error envelope. */
export const googleError = (body: string): { reason: string; message: string } => {
  try {
    const parsed: unknown = JSON.parse(body)
    const error =
      typeof parsed === "object" && parsed !== null
        ? (parsed as { error?: { message?: unknown; errors?: unknown } }).error
        : undefined
    const first = Array.isArray(error?.errors)
      ? (error.errors[0] as { reason?: unknown })
      : undefined
    return {
      reason: typeof first?.reason === "string" ? first.reason : "",
      message: typeof error?.message === "string" ? error.message : Classify.excerpt(body)
    }
  } catch {
    return { reason: "", message: Classify.excerpt(body) }
  }
}

/**
 * Gmail's answers: 429, and 403 with reason `userRateLimitExceeded` or `rateLimitExceeded`,
 * throttle (Gmail sends no Retry-After, so the retry backs off exponentially); a spent daily
 * quota fails at once as `RateLimited`; other answers follow HTTP semantics, with the error's
 * reason as the code.
 */
export const classify: Classify.Classifier = (answer) => {
  const { status } = answer
  if (status >= 200 && status < 300) return Classify.ok
  const { reason, message } = googleError(answer.body)
  const code = reason === "" ? `http_${status}` : reason
  if (status === 429 || (status === 403 && throttleReasons.has(reason))) {
    return Classify.throttled(answer, reason === "" ? "rateLimitExceeded" : reason, message)
  }
  if (exhaustedReasons.has(reason)) return Classify.failed("RateLimited", code, message)
  if (status === 408 || status >= 500) return Classify.transient(answer, code, message)
  if (status === 401 || status === 403) return Classify.failed("Unauthorized", code, message)
  if (status === 404) return Classify.failed("NotFound", code, message)
  if (status === 400) return Classify.failed("Invalid", code, message)
  return Classify.failed("Permanent", code, message)
}
