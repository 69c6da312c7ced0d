import { Classify } from "@workway/http"

/** Slack error codes that mean the token is missing, wrong or no longer valid. */
const unauthorized = new Set([
  "invalid_auth",
  "not_authed",
  "account_inactive",
  "token_revoked",
  "token_expired"
])

/** Slack error codes that, though answered with HTTP 200, may pass on their own. */
const transient = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout"
])

const envelopeOf = (body: string): { ok: boolean | undefined; error: string } => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null) {
      const record = parsed as Record<string, unknown>
      return {
        ok: typeof record.ok === "boolean" ? record.ok : undefined,
        error: typeof record.error === "string" ? record.error : ""
      }
    }
  } catch {
    // Not JSON: the status decides.
  }
  return { ok: undefined, error: "" }
}

/**
 * Slack's answers, which carry failures as HTTP 200 with `{ ok: false, error }`: 429 or
 * `ratelimited` throttle; `invalid_auth`, `not_authed` and revoked tokens are unauthorized;
 * `*_not_found` is not found; 5xx and Slack's internal errors may pass; any other error code is
 * a permanent failure carrying that code.
 */
export const classify: Classify.Classifier = (answer) => {
  const { ok, error } = envelopeOf(answer.body)
  const detail = error === "" ? Classify.excerpt(answer.body) : `Slack answered "${error}"`
  if (answer.status === 429 || error === "ratelimited") {
    return Classify.throttled(answer, "ratelimited", detail)
  }
  if (answer.status >= 500 || answer.status === 408 || transient.has(error)) {
    return Classify.transient(answer, error === "" ? `http_${answer.status}` : error, detail)
  }
  if (answer.status >= 200 && answer.status < 300 && ok !== false) return Classify.ok
  if (error === "") return Classify.byStatus(answer)
  if (unauthorized.has(error)) return Classify.failed("Unauthorized", error, detail)
  if (error.endsWith("_not_found")) return Classify.failed("NotFound", error, detail)
  return Classify.failed("Permanent", error, detail)
}
