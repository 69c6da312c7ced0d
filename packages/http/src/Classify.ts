import type { IntegrationFailure } from "@workway/core"
import { Duration, Option } from "effect"

/** A vendor's answer, as the pipeline hands it to a classifier. */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /**
   * When the answer arrived (ms, by the Effect clock). A `Retry-After` date is measured from it;
   * without it, from `Date.now()`.
   */
  readonly receivedAt?: number
}

/** What an answer means for the call. */
export type Verdict =
  | { readonly _tag: "Ok" }
  | {
      /** The vendor refused the call because of its rate limit; the whole key should pause. */
      readonly _tag: "Throttled"
      readonly retryAfter: Option.Option<Duration.Duration>
      readonly code: string
      readonly detail: string
    }
  | {
      /** A failure that may pass on its own (5xx, timeouts); retried only when safe. */
      readonly _tag: "Transient"
      readonly retryAfter: Option.Option<Duration.Duration>
      readonly code: string
      readonly detail: string
      /** The vendor's own word on whether a retry is safe, overriding the method's default. */
      readonly retrySafe?: boolean
    }
  | {
      readonly _tag: "Failed"
      readonly reason: IntegrationFailure
      readonly code: string
      readonly detail: string
    }

/** Turns a vendor's answer into a verdict; vendors with their own signals supply their own. */
export type Classifier = (answer: Answer) => Verdict

/** Constructors of verdicts, for vendor classifiers. */
export const ok: Verdict = { _tag: "Ok" }

export const throttled = (
  answer: Answer,
  code: string,
  detail: string,
  now: number = answer.receivedAt ?? Date.now()
): Verdict => ({ _tag: "Throttled", retryAfter: retryAfter(answer.headers, now), code, detail })

export const transient = (
  answer: Answer,
  code: string,
  detail: string,
  now: number = answer.receivedAt ?? Date.now()
): Verdict => ({ _tag: "Transient", retryAfter: retryAfter(answer.headers, now), code, detail })

export const failed = (reason: IntegrationFailure, code: string, detail: string): Verdict => ({
  _tag: "Failed",
  reason,
  code,
  detail
})

const header = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const exact = headers[name]
  if (exact !== undefined) return exact
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

const seconds = /^\d+(\.\d+)?$/

/** The three forms of an HTTP-date (RFC 9110); asctime carries no zone and means GMT. */
const httpDates = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/
]

/**
 * Reads how long to wait from `retry-after-ms`, or from `Retry-After` as seconds or as an
 * HTTP-date (Zoom's daily cap sends a date). A date in the past means "now". Anything else is
 * ignored: `Date.parse` alone would read "-1" or "abc 12" as dates long past.
 */
export const retryAfter = (
  headers: Readonly<Record<string, string>>,
  now: number
): Option.Option<Duration.Duration> => {
  const millis = header(headers, "retry-after-ms")?.trim()
  if (millis !== undefined && seconds.test(millis)) {
    return Option.some(Duration.millis(Number(millis)))
  }
  const value = header(headers, "retry-after")?.trim()
  if (value === undefined) return Option.none()
  if (seconds.test(value)) return Option.some(Duration.seconds(Number(value)))
  if (!httpDates.some((form) => form.test(value))) return Option.none()
  const date = Date.parse(value.endsWith("GMT") ? value : `${value} GMT`)
  if (Number.isNaN(date)) return Option.none()
  return Option.some(Duration.millis(Math.max(0, date - now)))
}

/** The first 300 characters of a body, for error messages. */
export const excerpt = (body: string): string =>
  body.length > 300 ? `${body.slice(0, 300)}...` : body

/** Reads a `code` and `message` from common JSON error envelopes. */
export const errorFields = (body: string): { code: string; message: string } => {
  try {
    const parsed: unknown = JSON.parse(body)
    if (typeof parsed === "object" && parsed !== null) {
      const record = parsed as Record<string, unknown>
      const inner =
        typeof record.error === "object" && record.error !== null
          ? (record.error as Record<string, unknown>)
          : record
      const code = inner.code ?? inner.type ?? record.error
      const message = inner.message ?? record.message
      return {
        code: typeof code === "string" || typeof code === "number" ? String(code) : "",
        message: typeof message === "string" ? message : excerpt(body)
      }
    }
  } catch {
    // Not JSON: the excerpt below says what came back.
  }
  return { code: "", message: excerpt(body) }
}

/** HTTP semantics shared by most vendors: 429 throttles, 408 and 5xx are transient. */
export const byStatus: Classifier = (answer) => {
  const { status } = answer
  if (status >= 200 && status < 300) return ok
  const { code, message } = errorFields(answer.body)
  const codeOr = (fallback: string) => (code === "" ? fallback : code)
  if (status === 429) return throttled(answer, codeOr("rate_limited"), message)
  if (status === 408 || status >= 500) return transient(answer, codeOr(`http_${status}`), message)
  if (status === 401 || status === 403)
    return failed("Unauthorized", codeOr(`http_${status}`), message)
  if (status === 404) return failed("NotFound", codeOr("not_found"), message)
  if (status === 400 || status === 409 || status === 422) {
    return failed("Invalid", codeOr(`http_${status}`), message)
  }
  return failed("Permanent", codeOr(`http_${status}`), message)
}
