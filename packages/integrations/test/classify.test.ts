import { describe, expect, it } from "@effect/vitest"
import type { Classify } from "@workway/http"
import { Duration, Option } from "effect"
import { Ai, Notion, Slack, Zoom } from "../src"

const answer = (
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): Classify.Answer => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  receivedAt: 0
})

const notionError = (status: number, code: string) =>
  answer(status, { object: "error", status, code, message: `${code} happened` })

const retryAfterMs = (verdict: Classify.Verdict) =>
  verdict._tag === "Throttled" || verdict._tag === "Transient"
    ? Option.map(verdict.retryAfter, Duration.toMillis)
    : Option.none()

describe("Notion.classify", () => {
  it("429 rate_limited and 529 service_overload throttle; Retry-After is read", () => {
    const limited = Notion.classify(notionError(429, "rate_limited"))
    const overloaded = Notion.classify(notionError(529, "service_overload"))

    expect(limited).toMatchObject({ _tag: "Throttled", code: "rate_limited" })
    expect(overloaded).toMatchObject({ _tag: "Throttled", code: "service_overload" })
    expect(
      retryAfterMs(
        Notion.classify({ ...notionError(429, "rate_limited"), headers: { "retry-after": "2" } })
      )
    ).toEqual(Option.some(2000))
  })

  it("502, 503 and 504 are transient", () => {
    for (const status of [502, 503, 504]) {
      expect(Notion.classify(notionError(status, "service_unavailable"))._tag).toBe("Transient")
    }
    expect(Notion.classify(answer(502, "<html>Bad gateway</html>"))).toMatchObject({
      _tag: "Transient",
      code: "http_502"
    })
  })

  it("validation_error is Invalid, 401 Unauthorized, object_not_found NotFound", () => {
    expect(Notion.classify(notionError(400, "validation_error"))).toMatchObject({
      _tag: "Failed",
      reason: "Invalid",
      code: "validation_error",
      detail: "validation_error happened"
    })
    expect(Notion.classify(notionError(401, "unauthorized"))).toMatchObject({
      reason: "Unauthorized"
    })
    expect(Notion.classify(notionError(404, "object_not_found"))).toMatchObject({
      reason: "NotFound",
      code: "object_not_found"
    })
    expect(Notion.classify(answer(200, { object: "page" }))._tag).toBe("Ok")
  })
})

describe("Slack.classify", () => {
  it("HTTP 429 and ok:false ratelimited throttle", () => {
    expect(
      Slack.classify(answer(429, { ok: false, error: "ratelimited" }, { "retry-after": "30" }))
    ).toMatchObject({ _tag: "Throttled", code: "ratelimited" })
    expect(Slack.classify(answer(200, { ok: false, error: "ratelimited" }))._tag).toBe("Throttled")
  })

  it("ok:false errors fail with Slack's code as the code", () => {
    expect(Slack.classify(answer(200, { ok: false, error: "invalid_auth" }))).toMatchObject({
      reason: "Unauthorized",
      code: "invalid_auth"
    })
    expect(Slack.classify(answer(200, { ok: false, error: "not_authed" }))).toMatchObject({
      reason: "Unauthorized"
    })
    expect(Slack.classify(answer(200, { ok: false, error: "users_not_found" }))).toMatchObject({
      reason: "NotFound",
      code: "users_not_found"
    })
    expect(Slack.classify(answer(200, { ok: false, error: "msg_too_long" }))).toMatchObject({
      reason: "Permanent",
      code: "msg_too_long"
    })
  })

  it("5xx and Slack's internal errors are transient; ok:true is accepted", () => {
    expect(Slack.classify(answer(503, { ok: false, error: "service_unavailable" }))._tag).toBe(
      "Transient"
    )
    expect(Slack.classify(answer(200, { ok: false, error: "internal_error" }))._tag).toBe(
      "Transient"
    )
    expect(Slack.classify(answer(200, { ok: true, user: {} }))._tag).toBe("Ok")
  })
})

describe("Ai.classify", () => {
  it("429 rate_limit_exceeded throttles for retry-after-ms, else the reset of the exhausted limit", () => {
    const body = { error: { message: "slow down", type: "requests", code: "rate_limit_exceeded" } }

    expect(retryAfterMs(Ai.classify(answer(429, body, { "retry-after-ms": "1500" })))).toEqual(
      Option.some(1500)
    )
    expect(
      retryAfterMs(
        Ai.classify(
          answer(429, body, {
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": "6m0s"
          })
        )
      )
    ).toEqual(Option.some(360_000))
  })

  it("429 insufficient_quota fails for good; 5xx is transient; 401 unauthorized", () => {
    const quota = {
      error: { message: "no credit", type: "insufficient_quota", code: "insufficient_quota" }
    }

    expect(Ai.classify(answer(429, quota))).toMatchObject({
      _tag: "Failed",
      reason: "Permanent",
      code: "insufficient_quota"
    })
    expect(
      Ai.classify(answer(500, { error: { message: "oops", type: "server_error" } }))._tag
    ).toBe("Transient")
    expect(
      Ai.classify(answer(401, { error: { message: "bad key", code: "invalid_api_key" } }))
    ).toMatchObject({ reason: "Unauthorized", code: "invalid_api_key" })
  })

  it("parseReset reads OpenAI's durations", () => {
    expect(Ai.parseReset("20ms").pipe(Option.map(Duration.toMillis))).toEqual(Option.some(20))
    expect(Ai.parseReset("1.5s").pipe(Option.map(Duration.toMillis))).toEqual(Option.some(1500))
    expect(Ai.parseReset("1h2m3s").pipe(Option.map(Duration.toMillis))).toEqual(
      Option.some(3_723_000)
    )
    expect(Ai.parseReset("soon")).toEqual(Option.none())
  })
})

describe("Zoom.classify", () => {
  it("a 429 names the category and honours a Retry-After date", () => {
    const verdict = Zoom.classify(
      answer(
        429,
        { code: 429, message: "You have reached the maximum daily rate limit for this API." },
        {
          "x-ratelimit-category": "Heavy",
          "x-ratelimit-type": "Daily-limit",
          "retry-after": "Thu, 01 Jan 1970 00:01:00 GMT"
        }
      )
    )

    expect(verdict).toMatchObject({ _tag: "Throttled", code: "rate_limited" })
    expect(verdict._tag === "Throttled" && verdict.detail).toContain("category Heavy")
    expect(retryAfterMs(verdict)).toEqual(Option.some(60_000))
  })

  it("Zoom's numeric codes are kept; OAuth client errors are Unauthorized", () => {
    expect(
      Zoom.classify(answer(404, { code: 3001, message: "Meeting does not exist" }))
    ).toMatchObject({
      reason: "NotFound",
      code: "3001"
    })
    expect(
      Zoom.classifyOAuth(
        answer(400, { reason: "Invalid client_id or client_secret", error: "invalid_client" })
      )
    ).toMatchObject({
      reason: "Unauthorized",
      code: "invalid_client",
      detail: "Invalid client_id or client_secret"
    })
    expect(
      Zoom.classifyOAuth(answer(400, { reason: "Bad account", error: "invalid_request" }))
    ).toMatchObject({
      reason: "Invalid"
    })
  })
})
