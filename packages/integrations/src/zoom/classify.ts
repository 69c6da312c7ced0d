import { Classify } from "@workway/http"

const header = (answer: Classify.Answer, name: string): string | undefined =>
  answer.headers[name.toLowerCase()] ?? answer.headers[name]

/**
 * Zoom's API answers: a 429 names the exhausted category (`Light`, `Medium`, ...) and whether
 * the per-second or the daily cap was hit; the daily cap's `Retry-After` is a date. Other
 * answers follow HTTP semantics, with Zoom's numeric error code (`124` invalid token, `3001`
 * meeting not found) as the code.
 */
export const classify: Classify.Classifier = (answer) => {
  if (answer.status !== 429) return Classify.byStatus(answer)
  const { message } = Classify.errorFields(answer.body)
  const category = header(answer, "X-RateLimit-Category") ?? "unknown"
  const type = header(answer, "X-RateLimit-Type") ?? "unknown"
  return Classify.throttled(
    answer,
    "rate_limited",
    `${message} (category ${category}, limit type ${type})`
  )
}

/**
 * The OAuth endpoint's answers: `{ error, reason }` envelopes, where a rejected client or grant
 * means the app's credentials are wrong, not that the request was malformed.
 */
export const classifyOAuth: Classify.Classifier = (answer) => {
  if (answer.status === 429 || answer.status === 408 || answer.status >= 500) {
    return Classify.byStatus(answer)
  }
  if (answer.status >= 200 && answer.status < 300) return Classify.ok
  const { error, reason } = oauthFields(answer.body)
  const detail = reason === "" ? Classify.excerpt(answer.body) : reason
  const code = error === "" ? `http_${answer.status}` : error
  return answer.status === 401 || error === "invalid_client"
    ? Classify.failed("Unauthorized", code, detail)
    : Classify.failed("Invalid", code, detail)
}

const oauthFields = (body: string): { error: string; reason: string } => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null) {
      const record = parsed as Record<string, unknown>
      return {
        error: typeof record.error === "string" ? record.error : "",
        reason: typeof record.reason === "string" ? record.reason : ""
      }
    }
  } catch {
    // Not JSON: the excerpt of the body says what came back.
  }
  return { error: "", reason: "" }
}
