import { describe, expect, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import * as Classify from "../src/Classify"

const now = Date.parse("2026-11-02T10:00:00Z")

const millis = (headers: Record<string, string>) =>
  Option.map(Classify.retryAfter(headers, now), Duration.toMillis)

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  receivedAt: now
})

describe("retryAfter", () => {
  it("reads whole seconds", () => {
    expect(millis({ "retry-after": "7" })).toEqual(Option.some(7000))
    expect(millis({ "retry-after": " 0 " })).toEqual(Option.some(0))
  })

  it("reads decimal seconds", () => {
    expect(millis({ "retry-after": "1.5" })).toEqual(Option.some(1500))
  })

  it("prefers retry-after-ms when both are present", () => {
    expect(millis({ "retry-after-ms": "250", "retry-after": "9" })).toEqual(Option.some(250))
  })

  it("falls back to Retry-After when retry-after-ms is malformed", () => {
    expect(millis({ "retry-after-ms": "soon", "retry-after": "2" })).toEqual(Option.some(2000))
  })

  it("reads an HTTP-date in the future as the time until then", () => {
    expect(millis({ "retry-after": "Mon, 02 Nov 2026 10:00:30 GMT" })).toEqual(Option.some(30_000))
  })

  it("reads the obsolete HTTP-date forms too", () => {
    expect(millis({ "retry-after": "Monday, 02-Nov-26 10:01:00 GMT" })).toEqual(Option.some(60_000))
    expect(millis({ "retry-after": "Mon Nov  2 10:00:05 2026" })).toEqual(Option.some(5000))
  })

  it("reads an HTTP-date in the past as no wait at all", () => {
    expect(millis({ "retry-after": "Sun, 01 Nov 2026 10:00:00 GMT" })).toEqual(Option.some(0))
  })

  it("ignores values that are neither seconds nor an HTTP-date", () => {
    for (const value of ["soon", "", "-5", "abc 12", "7s", "1e3", "Infinity", "2026-11-03"]) {
      expect(millis({ "retry-after": value }), value).toEqual(Option.none())
    }
  })

  it("is absent when no header is sent", () => {
    expect(millis({})).toEqual(Option.none())
  })

  it("finds the header whatever its case", () => {
    expect(millis({ "Retry-After": "3" })).toEqual(Option.some(3000))
  })
})

describe("byStatus", () => {
  it("accepts 2xx", () => {
    expect(Classify.byStatus(answer(200, {}))).toEqual(Classify.ok)
    expect(Classify.byStatus(answer(204, ""))).toEqual(Classify.ok)
  })

  it("reads a 429 as throttled, with the vendor's code, message and Retry-After", () => {
    const verdict = Classify.byStatus(
      answer(
        429,
        { object: "error", status: 429, code: "rate_limited", message: "Slow down" },
        { "retry-after": "2" }
      )
    )
    expect(verdict).toEqual({
      _tag: "Throttled",
      retryAfter: Option.some(Duration.seconds(2)),
      code: "rate_limited",
      detail: "Slow down"
    })
  })

  it("measures a Retry-After date from when the answer arrived", () => {
    const verdict = Classify.byStatus(
      answer(429, "", { "retry-after": "Mon, 02 Nov 2026 10:00:07 GMT" })
    )
    expect(verdict._tag === "Throttled" && verdict.retryAfter).toEqual(
      Option.some(Duration.millis(7000))
    )
  })

  it("reads 408 and 5xx as transient", () => {
    for (const status of [408, 500, 502, 503, 504, 529]) {
      expect(Classify.byStatus(answer(status, "")), String(status)).toMatchObject({
        _tag: "Transient",
        code: `http_${status}`
      })
    }
  })

  it("reads Stripe's nested error envelope", () => {
    const verdict = Classify.byStatus(
      answer(402, { error: { type: "card_error", code: "card_declined", message: "Declined" } })
    )
    expect(verdict).toEqual({
      _tag: "Failed",
      reason: "Permanent",
      code: "card_declined",
      detail: "Declined"
    })
  })

  it("maps client errors to reasons", () => {
    const reasons = [400, 401, 403, 404, 409, 422, 410].map((status) => {
      const verdict = Classify.byStatus(answer(status, ""))
      return verdict._tag === "Failed" ? verdict.reason : verdict._tag
    })
    expect(reasons).toEqual([
      "Invalid",
      "Unauthorized",
      "Unauthorized",
      "NotFound",
      "Invalid",
      "Invalid",
      "Permanent"
    ])
  })

  it("quotes at most 300 characters of a body that is not JSON", () => {
    const verdict = Classify.byStatus(answer(500, "x".repeat(1000)))
    expect(verdict._tag === "Transient" && verdict.detail).toBe(`${"x".repeat(300)}...`)
  })
})
