import { Classify } from "@workway/http"

/**
 * Notion's answers: `rate_limited` (429) and `service_overload` (529) are throttles; 503
 * `service_unavailable` is a refusal that any call may repeat; 500, 502, 504 and
 * `conflict_error` may pass on their own; `validation_error` and other 400s are
 * invalid requests, 401 and 403 are missing access, 404 `object_not_found` is not found.
 */
export const classify: Classify.Classifier = (answer) => {
  const { status } = answer
  if (status >= 200 && status < 300) return Classify.ok
  const { code, message } = Classify.errorFields(answer.body)
  const codeOr = (fallback: string) => (code === "" ? fallback : code)
  if (status === 429 || code === "rate_limited") {
    return Classify.throttled(answer, codeOr("rate_limited"), message)
  }
  if (status === 529 || code === "service_overload") {
    return Classify.throttled(answer, codeOr("service_overload"), message)
  }
  if (status === 503) {
    // Refused before it was handled, so even a create is safe to send again. (Notion also answers
    // 503 to a request that ran past 60 s, but the per-attempt timeout, 30 s by default, ends
    // such a request first, as an ambiguous timeout that a create is not retried after.)
    return {
      ...Classify.transient(answer, codeOr("service_unavailable"), message),
      retrySafe: true
    }
  }
  if (status === 409 || status === 408 || status >= 500) {
    return Classify.transient(answer, codeOr(`http_${status}`), message)
  }
  if (status === 401 || status === 403) {
    return Classify.failed("Unauthorized", codeOr(`http_${status}`), message)
  }
  if (status === 404) return Classify.failed("NotFound", codeOr("object_not_found"), message)
  if (status === 400 || status === 422) {
    return Classify.failed("Invalid", codeOr("validation_error"), message)
  }
  return Classify.failed("Permanent", codeOr(`http_${status}`), message)
}
