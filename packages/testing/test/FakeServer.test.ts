import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FakeServer from "../src/FakeServer"
import { manualClock } from "./support"

const origin = "https://api.example.com"

const vendor: FakeServer.Vendor = {
  notFound: () => FakeServer.json({ error: "not_found" }, { status: 404 }),
  throttled: (throttle) =>
    FakeServer.json(
      { error: "throttled", route: throttle.route },
      { status: 429, headers: { "Retry-After": String(throttle.retryAfterSeconds) } }
    ),
  unavailable: () => FakeServer.json({ error: "unavailable" }, { status: 503 }),
  internalError: (message) => FakeServer.json({ error: message }, { status: 500 })
}

const makeFake = (knobs: FakeServer.Knobs = {}) => {
  const state = { created: 0 }
  const routes = [
    FakeServer.route("GET", "/items/:id", ({ params }) => FakeServer.json({ id: params.id })),
    FakeServer.route("POST", "/items", () => FakeServer.json({ created: ++state.created })),
    FakeServer.route("GET", "/boom", () => {
      throw new Error("the handler broke")
    })
  ]
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs })
  return { handler, stats, state, origins: [origin] }
}

describe("FakeServer routing", () => {
  it("matches :params on the raw path and decodes them once", async () => {
    const fake = makeFake()
    const fetch = FakeServer.fetchOf(FakeServer.routesOf(fake))

    const plain = await (await fetch(`${origin}/items/42`)).json()
    const encoded = await (await fetch(`${origin}/items/a%2Fb%253D`)).json()
    const unknown = await fetch(`${origin}/nothing/here`)

    expect(plain).toEqual({ id: "42" })
    expect(encoded).toEqual({ id: "a/b%3D" })
    expect(unknown.status).toBe(404)
    expect(fake.stats.byRoute).toEqual({
      "GET /items/:id": 2,
      "GET /nothing/here": 1
    })
  })

  it("fails an unknown origin the way fetch fails an unknown host", async () => {
    const fetch = FakeServer.fetchOf({})

    const failure = await fetch("https://nowhere.example.com/").catch((error: unknown) => error)

    expect(failure).toBeInstanceOf(TypeError)
    expect((failure as TypeError).message).toBe("fetch failed")
  })

  it("answers a handler's own exception as the vendor's 500, never a crash", async () => {
    const fake = makeFake()

    const response = await fake.handler(new Request(`${origin}/boom`))

    expect(response.status).toBe(500)
    expect(await response.json()).toEqual({ error: "the handler broke" })
  })
})

describe("FakeServer rate limit and statistics", () => {
  it("refills the bucket in real time on the given clock and rounds Retry-After up", async () => {
    const clock = manualClock(1_000_000)
    const fake = makeFake({ now: clock.now, rateLimit: { rate: 0.4, burst: 2 } })
    const get = () => fake.handler(new Request(`${origin}/items/1`))

    const statuses = [(await get()).status, (await get()).status]
    const throttled = await get()
    clock.advance(2_499)
    const early = await get()
    clock.advance(1)
    const refilled = await get()

    expect(statuses).toEqual([200, 200])
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get("retry-after")).toBe("3")
    expect(early.status).toBe(429)
    expect(early.headers.get("retry-after")).toBe("1")
    expect(refilled.status).toBe(200)
  })

  it("counts requests, throttles, faults and accepted requests per second", async () => {
    const clock = manualClock(5_000)
    const rolls = [0.95, 0.1, 0.95]
    const fake = makeFake({
      now: clock.now,
      random: () => rolls.shift() ?? 0.95,
      rateLimit: { rate: 1, burst: 2 },
      faults: { serverError: 0.5 }
    })
    const get = () => fake.handler(new Request(`${origin}/items/1`))

    const first = await get()
    const fault = await get()
    const throttled = await get()
    clock.advance(1000)
    const next = await get()

    expect([first, fault, throttled, next].map((response) => response.status)).toEqual([
      200, 503, 429, 200
    ])
    expect(fake.stats).toMatchObject({ requests: 4, throttled: 1, faults: 1 })
    expect([...fake.stats.acceptedPerSecond]).toEqual([
      [5, 1],
      [6, 1]
    ])
    FakeServer.resetStats(fake.stats)
    expect(fake.stats).toMatchObject({ requests: 0, byRoute: {} })
  })

  it("answers an injected throttle as the vendor's 429 and counts it as a fault", async () => {
    const fake = makeFake({ faults: { throttle: 1 } })

    const response = await fake.handler(new Request(`${origin}/items/1`))

    expect(response.status).toBe(429)
    expect(response.headers.get("retry-after")).toBe("1")
    expect(fake.stats).toMatchObject({ throttled: 1, faults: 1 })
  })

  it("delays each response by the configured latency", async () => {
    const fake = makeFake({ latency: { minMs: 30, maxMs: 40 } })

    const started = performance.now()
    await fake.handler(new Request(`${origin}/items/1`))

    expect(performance.now() - started).toBeGreaterThanOrEqual(28)
  })
})

describe("FakeServer faults in process", () => {
  it("resets the connection as a TypeError like fetch, and as a transport error in HttpClient", async () => {
    const fake = makeFake({ faults: { reset: 1 } })
    const layer = FakeServer.layer(FakeServer.routesOf(fake))

    const failure = await FakeServer.fetchOf(FakeServer.routesOf(fake))(`${origin}/items/1`).catch(
      (error: unknown) => error
    )
    const exit = await Effect.runPromiseExit(
      HttpClient.get(`${origin}/items/1`).pipe(Effect.provide(layer))
    )

    expect(failure).toBeInstanceOf(TypeError)
    expect((failure as TypeError).message).toBe("fetch failed")
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
    expect(
      error?._tag === "Some" && error.value._tag === "RequestError" && error.value.reason
    ).toBe("Transport")
  })

  it("processes a malformed request, then answers 200 with its JSON cut short", async () => {
    const fake = makeFake({ faults: { malformed: 1 } })

    const response = await fake.handler(new Request(`${origin}/items`, { method: "POST" }))
    const text = await response.text()

    expect(response.status).toBe(200)
    expect(() => JSON.parse(text)).toThrow()
    expect(text.length).toBeGreaterThan(0)
    expect(fake.state.created).toBe(1)
  })

  it.live("hangs until the HttpClient interrupts the request, which aborts it at the fake", () =>
    Effect.gen(function* () {
      const fake = makeFake({ faults: { hang: 1 } })
      let aborted = false
      const observed: FakeServer.Handler = (request) => {
        request.signal.addEventListener("abort", () => {
          aborted = true
        })
        return fake.handler(request)
      }
      const layer = FakeServer.layer({ [origin]: observed })

      const fiber = yield* HttpClient.get(`${origin}/items/1`).pipe(
        Effect.provide(layer),
        Effect.fork
      )
      yield* Effect.sleep("30 millis")
      const stillRunning = fiber.unsafePoll() === null
      yield* Fiber.interrupt(fiber)

      expect(stillRunning).toBe(true)
      expect(aborted).toBe(true)
      expect(fake.stats.faults).toBe(1)
    })
  )
})

describe("FakeServer.serve on loopback", () => {
  it("serves a handler on 127.0.0.1 with request bodies and response headers intact", async () => {
    const echo: FakeServer.Handler = async (request) =>
      FakeServer.json(
        { method: request.method, url: request.url, body: await request.text() },
        { headers: { "x-echo": request.headers.get("x-test") ?? "" } }
      )
    const server = await FakeServer.serve(echo)
    try {
      const response = await fetch(`${server.url}/a/b%2Fc?q=1`, {
        method: "PATCH",
        headers: { "x-test": "yes" },
        body: "payload"
      })

      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      expect(response.headers.get("x-echo")).toBe("yes")
      expect(await response.json()).toEqual({
        method: "PATCH",
        url: `${server.url}/a/b%2Fc?q=1`,
        body: "payload"
      })
    } finally {
      await server.close()
    }
  })

  it("drops the connection on a reset fault", async () => {
    const server = await FakeServer.serve(makeFake({ faults: { reset: 1 } }).handler)
    try {
      const failure = await fetch(`${server.url}/items/1`).catch((error: unknown) => error)

      expect(failure).toBeInstanceOf(TypeError)
    } finally {
      await server.close()
    }
  })

  it("answers malformed JSON over the wire", async () => {
    const server = await FakeServer.serve(makeFake({ faults: { malformed: 1 } }).handler)
    try {
      const response = await fetch(`${server.url}/items/1`)

      expect(response.status).toBe(200)
      await expect(response.json()).rejects.toThrow()
    } finally {
      await server.close()
    }
  })

  it("hangs until the client aborts, and close() ends requests still hanging", async () => {
    const fake = makeFake({ faults: { hang: 1 } })
    const server = await FakeServer.serve(fake.handler)

    const controller = new AbortController()
    const aborted = fetch(`${server.url}/items/1`, { signal: controller.signal }).catch(
      (error: unknown) => error
    )
    setTimeout(() => controller.abort(), 20)
    const hanging = fetch(`${server.url}/items/2`).catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 30))
    const started = performance.now()
    await server.close()

    expect(((await aborted) as Error).name).toBe("AbortError")
    expect(await hanging).toBeInstanceOf(TypeError)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(fake.stats.faults).toBe(2)
  })
})
