import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import { createHmac } from "node:crypto"
import { Limits, type Worker } from "@workway/worker"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { fuzzWorkers } from "./fixtures/fuzz-workers"
import { secrets, wakeState } from "./fixtures/webhook-workers"

type Env = Readonly<Record<string, unknown>>
type Vendor = keyof typeof fuzzWorkers

const apiToken = "fuzz-api-token-0b7e"
const guarded: Env = { ...env, ...secrets, WORKWAY_API_TOKEN: apiToken }
const { WORKWAY_API_TOKEN: _token, ...withoutToken } = guarded
const unguarded: Env = withoutToken

/** What every answer so far looked like, per property, reported once all have run. */
const seen = { cases: 0, serverErrors: 0, byProperty: new Map<string, Map<number, number>>() }

const count = (status: number) => {
  const property = (expect.getState().currentTestName ?? "").replace(/^.*> /, "").slice(0, 40)
  const statuses = seen.byProperty.get(property) ?? new Map<number, number>()
  statuses.set(status, (statuses.get(status) ?? 0) + 1)
  seen.byProperty.set(property, statuses)
  seen.cases++
  if (status >= 500) seen.serverErrors++
}

const report = () => {
  const byProperty = Object.fromEntries(
    [...seen.byProperty].map(([property, statuses]) => [
      property,
      Object.fromEntries([...statuses].sort(([a], [b]) => a - b))
    ])
  )
  console.info(
    JSON.stringify({
      message: "fuzz summary",
      cases: seen.cases,
      serverErrors: seen.serverErrors,
      byProperty
    })
  )
}

const stackFrame = /\bat (?:\S+ \()?(?:file:\/\/|\/)[^\s)]*:\d+:\d+/
const internalPath = /\/work\/main|node_modules|\.ts:\d+/

/**
 * Sends one request and checks what every answer must be: never a 5xx, never a stack trace or a
 * source path, and for every non-2xx a JSON error `{ success: false, error: { type, message } }`
 * (the inspector's HTML pages aside).
 */
const exchange = async (handler: Worker.Handler, request: Request, bindings: Env) => {
  const ctx = createExecutionContext()
  const response = await handler.fetch(request, bindings, ctx)
  await waitOnExecutionContext(ctx)
  const text = await response.text()
  count(response.status)

  expect(response.status, text).toBeLessThan(500)
  expect(text).not.toMatch(stackFrame)
  expect(text).not.toMatch(internalPath)
  const contentType = response.headers.get("content-type") ?? ""
  // The inspector is a browser page: it answers its own HTML "not found" unless asked for JSON.
  const page =
    new URL(request.url).pathname.startsWith("/__workway") && contentType.includes("html")
  if (response.status >= 300 && !page) {
    expect(contentType).toContain("application/json")
    const body = JSON.parse(text) as {
      success: unknown
      error: { type: unknown; message: unknown }
    }
    expect(body.success).toBe(false)
    expect(typeof body.error.type).toBe("string")
    expect(typeof body.error.message).toBe("string")
  } else if (text !== "" && contentType.includes("application/json")) {
    JSON.parse(text)
  }
  return response.status
}

// Bodies: everything a hostile or broken client might send.

const deepNesting = fc
  .record({ depth: fc.integer({ min: 1, max: 5_000 }), open: fc.constantFrom("[", '{"a":') })
  .map(({ depth, open }) => open.repeat(depth) + (open === "[" ? "]" : "1}").repeat(depth))

const hugeArray = fc
  .record({
    length: fc.integer({ min: 9_990, max: 12_000 }),
    item: fc.constantFrom("0", '""', "{}", "[]")
  })
  .map(({ length, item }) => `[${Array.from({ length }, () => item).join(",")}]`)

const longString = fc
  .integer({ min: 15_000, max: 70_000 })
  .map((length) => JSON.stringify({ text: "x".repeat(length) }))

const invalidUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 64 })
  .map((bytes) => Uint8Array.from([...bytes, 0xc3, 0x28, 0xff, 0xfe]))

const bodies: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 2_048 }),
  invalidUtf8,
  fc.string({ unit: "binary", maxLength: 512 }),
  fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? "null"),
  deepNesting,
  hugeArray,
  longString,
  fc.constantFrom("", "{", '{"a":}', "[1,2,", '"\\u12"', "nul", "\ufeff{}", "{}".repeat(40_000))
)

// Requests: methods, paths, hosts and headers, plausible and not.

/** Methods, the common ones and rarer ones; only those workerd lets a `Request` carry. */
const methods = fc
  .constantFrom(
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "PROPFIND",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "REPORT",
    "SEARCH",
    "PURGE",
    "post",
    "get"
  )
  .filter((method) => {
    try {
      new Request("http://localhost/", { method })
      return true
    } catch {
      return false
    }
  })

const segment = fc.oneof(
  fc.webSegment(),
  fc.constantFrom("%", "%E0%A4%A", "%00", "..", "%2F", "webhooks", "zoom", "runs", "__workway")
)

const paths = fc.oneof(
  fc.constantFrom(
    "/execute",
    "/health",
    "/webhooks/zoom",
    "/webhooks/slack",
    "/webhooks/stripe",
    "/webhooks/",
    "/webhooks/zoom/extra",
    "/__workway",
    "/__workway/runs/%E0%A4%A",
    "/runs",
    "/"
  ),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
  fc
    .tuple(fc.constantFrom("/webhooks/", "/__workway/runs/", "/runs/"), segment)
    .map(([base, rest]) => base + rest)
)

const hosts = fc.constantFrom(
  "https://app.example.com",
  "http://127.0.0.1:8787",
  "http://localhost"
)

const headerValue = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "gzip",
    "br",
    "deflate",
    "identity",
    `Bearer ${apiToken}`,
    "Bearer wrong",
    "v0=",
    "v0=zz",
    `v0=${"a".repeat(64)}`,
    "t=1,v1=",
    "9999999999999",
    "-1"
  )
)

const headerNames = fc.constantFrom(
  "content-type",
  "content-encoding",
  "content-length",
  "authorization",
  "x-zm-signature",
  "x-zm-request-timestamp",
  "x-zm-request-id",
  "x-slack-signature",
  "x-slack-request-timestamp",
  "stripe-signature"
)

/** Header values a `Headers` object accepts: no line breaks, no NUL, latin-1 only. */
const safeHeader = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, "").trim()

const headersFrom = (entries: ReadonlyArray<readonly [string, string]>) => {
  const headers = new Headers()
  for (const [name, value] of entries) {
    if (name === "content-length") continue
    headers.set(name, safeHeader(value))
  }
  return headers
}

const requestOf = (
  url: string,
  method: string,
  headers: Headers,
  body: string | Uint8Array
): Request => {
  const bodyless = ["GET", "HEAD"].includes(method.toUpperCase())
  return new Request(url, { method, headers, ...(bodyless ? {} : { body }) })
}

const handlers = fc.constantFrom<Vendor>("zoom", "slack", "stripe")

// Signed webhooks: bodies shaped like each vendor's events, and anything else.

/** Bodies shaped like each vendor's events, with plausible and random values. */
const eventShapes = {
  zoom: fc.record({
    event: fc.oneof(fc.constantFrom("meeting.ended", "endpoint.url_validation"), fc.string()),
    event_ts: fc.oneof(fc.integer(), fc.string()),
    payload: fc.record({
      plainToken: fc.oneof(fc.string(), fc.integer()),
      object: fc.record({ uuid: fc.string(), id: fc.oneof(fc.integer(), fc.string()) })
    })
  }),
  slack: fc.record({
    type: fc.oneof(fc.constantFrom("url_verification", "event_callback"), fc.string()),
    challenge: fc.jsonValue({ maxDepth: 2 }),
    event_id: fc.string(),
    event: fc.record({ type: fc.oneof(fc.constant("app_mention"), fc.string()) })
  }),
  stripe: fc.record({
    id: fc.oneof(fc.string(), fc.integer()),
    type: fc.oneof(fc.constant("customer.created"), fc.string())
  })
}

/** Mostly the vendor's own shape, sometimes another vendor's. */
const eventLikeFor = (vendor: Vendor) =>
  fc.oneof(
    { weight: 4, arbitrary: eventShapes[vendor] as fc.Arbitrary<object> },
    { weight: 1, arbitrary: fc.oneof(eventShapes.zoom, eventShapes.slack, eventShapes.stripe) }
  )

const json = "application/json"
const form = "application/x-www-form-urlencoded"

/**
 * A vendor, a body and the media type it is sent as: mostly what the vendor sends (events as
 * JSON, Slack's forms), then hostile bodies, then anything under any media type.
 */
const deliveries: fc.Arbitrary<readonly [Vendor, string | Uint8Array, string]> = handlers.chain(
  (vendor) => {
    const eventLike = eventLikeFor(vendor)
    const events = fc.tuple(
      fc.constant(vendor),
      eventLike.map((value) => JSON.stringify(value)),
      fc.constant(json)
    )
    const forms = fc.tuple(
      fc.constant(vendor),
      fc.oneof(
        eventLike.map((value) =>
          new URLSearchParams({ payload: JSON.stringify(value) }).toString()
        ),
        fc
          .dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }))
          .map((fields) => new URLSearchParams(fields).toString())
      ),
      fc.constant(form)
    )
    const hostile = fc.tuple(fc.constant(vendor), bodies, fc.constant(json))
    const anything = fc.tuple(
      fc.constant(vendor),
      bodies,
      fc.constantFrom(json, form, "text/plain")
    )
    return fc.oneof(
      { weight: 4, arbitrary: vendor === "slack" ? fc.oneof(events, forms) : events },
      { weight: 3, arbitrary: hostile },
      { weight: 1, arbitrary: anything }
    )
  }
)

const signatureOf = (secret: string, prefix: string, body: string | Uint8Array) =>
  createHmac("sha256", secret)
    .update(prefix)
    .update(typeof body === "string" ? new TextEncoder().encode(body) : body)
    .digest("hex")

const signedHeaders = (
  vendor: Vendor,
  body: string | Uint8Array,
  timestamp: number,
  secretOverride?: string
): Headers => {
  switch (vendor) {
    case "zoom":
      return new Headers({
        "x-zm-request-timestamp": String(timestamp),
        "x-zm-signature": `v0=${signatureOf(secretOverride ?? secrets.ZOOM_WEBHOOK_SECRET_TOKEN, `v0:${timestamp}:`, body)}`
      })
    case "slack":
      return new Headers({
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": `v0=${signatureOf(secretOverride ?? secrets.SLACK_SIGNING_SECRET, `v0:${timestamp}:`, body)}`
      })
    case "stripe":
      return new Headers({
        "stripe-signature": `t=${timestamp},v1=${signatureOf(secretOverride ?? secrets.STRIPE_WEBHOOK_SECRET, `${timestamp}.`, body)}`
      })
  }
}

beforeAll(() => wakeState(env.WORKWAY_STATE))

describe("fuzzing the Worker in workerd", () => {
  // Ten thousand requests log as many lines; the secrets test is where log lines are read.
  const quiet = (["log", "info", "warn", "error"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation(() => undefined)
  )
  afterAll(() => {
    for (const spy of quiet) spy.mockRestore()
    report()
  })

  it("answers any method, path, host, headers and body without a 5xx or internals (2,500 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        handlers,
        methods,
        hosts,
        paths,
        fc.array(fc.tuple(headerNames, headerValue), { maxLength: 6 }),
        bodies,
        async (vendor, method, host, path, headers, body) => {
          const request = requestOf(`${host}${path}`, method, headersFrom(headers), body)
          await exchange(fuzzWorkers[vendor], request, guarded)
        }
      ),
      { numRuns: 2_500 }
    )
    expect(seen.serverErrors).toBe(0)
  }, 120_000)

  it("answers hostile JSON to an authorized /execute with a 2xx or a 4xx (2,500 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        handlers,
        bodies,
        fc.constantFrom("application/json", "text/plain", ""),
        async (vendor, body, contentType) => {
          const headers = new Headers({ authorization: `Bearer ${apiToken}` })
          if (contentType !== "") headers.set("content-type", contentType)
          const request = requestOf("https://app.example.com/execute", "POST", headers, body)
          await exchange(fuzzWorkers[vendor], request, guarded)
        }
      ),
      { numRuns: 2_500 }
    )
    expect(seen.serverErrors).toBe(0)
  }, 120_000)

  it("verifies correctly signed webhooks with hostile bodies, then answers 2xx or 4xx (3,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveries,
        fc.integer({ min: -400, max: 400 }),
        async ([vendor, body, contentType], skew) => {
          const timestamp = Math.floor(Date.now() / 1000) + skew
          const headers = signedHeaders(vendor, body, timestamp)
          headers.set("content-type", contentType)
          const status = await exchange(
            fuzzWorkers[vendor],
            requestOf(`https://hooks.example.com/webhooks/${vendor}`, "POST", headers, body),
            guarded
          )
          if (Math.abs(skew) > 301) expect([401, 413, 415]).toContain(status)
        }
      ),
      { numRuns: 3_000 }
    )
    expect(seen.serverErrors).toBe(0)
  }, 120_000)

  it("refuses webhooks with forged, stale or garbled signatures with 401 or 4xx (1,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        deliveries,
        fc.oneof(fc.string({ maxLength: 40 }), fc.constant(secrets.ZOOM_WEBHOOK_SECRET_TOKEN)),
        fc.integer({ min: -10_000, max: 10_000 }),
        async ([vendor, body, contentType], forgedSecret, skew) => {
          const timestamp = Math.floor(Date.now() / 1000) + skew
          const headers = signedHeaders(vendor, body, timestamp, `${forgedSecret}-forged`)
          headers.set("content-type", contentType)
          const status = await exchange(
            fuzzWorkers[vendor],
            requestOf(`https://hooks.example.com/webhooks/${vendor}`, "POST", headers, body),
            guarded
          )
          expect(contentType === json ? [401, 413] : [401, 413, 415]).toContain(status)
        }
      ),
      { numRuns: 1_000 }
    )
    expect(seen.serverErrors).toBe(0)
  }, 120_000)

  it("without a token serves /execute on loopback only and never errors (1,000 cases)", async () => {
    await fc.assert(
      fc.asyncProperty(
        handlers,
        hosts,
        methods,
        paths,
        bodies,
        async (vendor, host, method, path, body) => {
          const request = requestOf(`${host}${path}`, method, new Headers(), body)
          const status = await exchange(fuzzWorkers[vendor], request, unguarded)
          const { hostname, pathname } = new URL(request.url)
          if (pathname === "/execute" && hostname === "app.example.com") expect(status).toBe(401)
        }
      ),
      { numRuns: 1_000 }
    )
    expect(seen.serverErrors).toBe(0)
  }, 120_000)
})

describe("input bounds", () => {
  const execute = (body: string) =>
    fuzzWorkers.slack.fetch(
      new Request("http://localhost/execute", { method: "POST", body }),
      unguarded,
      createExecutionContext()
    )
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { type: string; message: string } }).error

  it("answers 400 naming maxDepth for JSON nested deeper than 64, and accepts 64", async () => {
    const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth)
    const deep = await execute(nested(65))
    expect(deep.status).toBe(400)
    expect(await errorOf(deep)).toMatchObject({ type: "LimitExceeded" })
    expect((await errorOf(await execute(nested(30_000)))).message).toContain("maxDepth is 64")
    expect((await execute(nested(64))).status).toBe(200)
  })

  it("answers 400 naming maxArrayLength for an array over 10,000 elements, and accepts 10,000", async () => {
    const array = (length: number) => `[${Array.from({ length }, () => "0").join(",")}]`
    const long = await execute(array(10_001))
    expect(long.status).toBe(400)
    expect((await errorOf(long)).message).toContain("maxArrayLength is 10,000")
    expect((await execute(array(10_000))).status).toBe(200)
  })

  it("answers 400 naming maxStringLength for a longer string, and 413 past the body size", async () => {
    const long = await execute(JSON.stringify({ text: "x".repeat(16 * 1024 + 1) }))
    expect(long.status).toBe(400)
    expect((await errorOf(long)).message).toContain("maxStringLength is 16,384")
    expect((await execute(JSON.stringify({ text: "x".repeat(16 * 1024) }))).status).toBe(200)
    const huge = await execute(JSON.stringify({ text: "x".repeat(65 * 1024) }))
    expect(huge.status).toBe(413)
    expect((await errorOf(huge)).type).toBe("TooLarge")
  })

  it("does not repeat the body in a JSON syntax error", async () => {
    const response = await execute("{ secret-looking-input: 1 }")
    expect(response.status).toBe(400)
    expect(JSON.stringify(await errorOf(response))).not.toContain("secret-looking-input")
  })

  it("counts brackets and commas inside strings as text, not structure", () => {
    const limits = { maxDepth: 2, maxArrayLength: 2, maxStringLength: 8 }
    expect(Limits.check('["[[[,,,", "\\"]]]"]', limits)).toBeUndefined()
    expect(Limits.check("[[[]]]", limits)?.limit).toBe("maxDepth")
    expect(Limits.check("[1,2,3]", limits)?.limit).toBe("maxArrayLength")
    expect(Limits.check('{"a":1,"b":2,"c":3}', limits)).toBeUndefined()
    expect(Limits.check('["123456789"]', limits)?.limit).toBe("maxStringLength")
  })
})
