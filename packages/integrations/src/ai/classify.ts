import { Classify } from "@workway/http"
import { Duration, Option } from "effect"

const units: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

/** Reads a reset duration as OpenAI writes it (`6m0s`, `1.5s`, `20ms`). */
export const parseReset = (text: string | undefined): Option.Option<Duration.Duration> => {
  const value = text?.trim() ?? ""
  if (!/^(\d+(\.\d+)?(ms|h|m|s))+$/.test(value)) return Option.none()
  let millis = 0
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    millis += Number(amount) * (units[unit ?? "ms"] ?? 1)
  }
  return Option.some(Duration.millis(millis))
}

/** When the exhausted limit resets: requests or tokens, whichever says none remain. */
const resetOf = (headers: Readonly<Record<string, string>>): Option.Option<Duration.Duration> => {
  if (headers["x-ratelimit-remaining-requests"] === "0") {
    return parseReset(headers["x-ratelimit-reset-requests"])
  }
  if (headers["x-ratelimit-remaining-tokens"] === "0") {
    return parseReset(headers["x-ratelimit-reset-tokens"])
  }
  return Option.none()
}

/**
 * OpenAI-compatible answers: a 429 `rate_limit_exceeded` throttles until `retry-after-ms`,
 * `retry-after` or the exhausted limit's reset; a 429 `insufficient_quota` fails at once (the
 * account is out of credit, waiting does not help); 408 and 5xx may pass on their own.
 */
export const classify: Classify.Classifier = (answer) => {
  if (answer.status !== 429) return Classify.byStatus(answer)
  const { code, message } = Classify.errorFields(answer.body)
  if (code === "insufficient_quota") return Classify.failed("Permanent", code, message)
  const verdict = Classify.throttled(answer, code === "" ? "rate_limit_exceeded" : code, message)
  return verdict._tag === "Throttled" && Option.isNone(verdict.retryAfter)
    ? { ...verdict, retryAfter: resetOf(answer.headers) }
    : verdict
}
