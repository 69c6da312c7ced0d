import { describe, expect, it } from "@effect/vitest"
import { RunReport } from "@workway/core"
import { Array as Arr, Effect, Fiber, TestClock } from "effect"
import type * as Client from "../src/Client"
import * as Invocation from "../src/Invocation"
import * as Limit from "../src/Limit"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { client } from "./support/Services"
import * as Upstream from "./support/Upstream"

/** A limit high enough that only permits decide when requests go out. */
const unpaced = (key: string) => () => [{ key, limit: Limit.perSecond(1000) }]

const slowPage = { ...Upstream.json(200, { object: "page", id: "p" }), after: "1 second" } as const

const retrieve = (i: number): Client.Call => ({
  call: "pages.retrieve",
  method: "GET",
  path: `/pages/${i}`
})

const recorder = RunReport.makeRecorder({ workflow: "test", version: "1", runId: "run-1" })

describe("the service semaphore", () => {
  it.effect("20 concurrent calls never have more than `concurrency` requests in flight", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => slowPage)
      const notion = yield* client(upstream, { concurrency: 3, limits: unpaced("notion") })
      const run = yield* recorder

      yield* within("10 seconds")(
        Effect.forEach(Arr.range(1, 20), (i) => notion.send(retrieve(i)), {
          concurrency: "unbounded"
        }).pipe(Effect.provideService(RunReport.RunRecorder, run))
      )

      expect(upstream.arrivals).toHaveLength(20)
      expect(upstream.maxInFlight()).toBe(3)
      const waves = Arr.groupBy(upstream.arrivals, (arrival) => String(arrival.at))
      // The first call goes alone (the client's slow start), then waves of 3.
      expect(Object.keys(waves).map(Number)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000])
      const report = yield* run.report
      const waits = report.calls.map((call) => call.waitPermitMs).sort((a, b) => a - b)
      expect(waits).toEqual([0, ...Arr.range(0, 18).map((i) => 1000 + Math.floor(i / 3) * 1000)])
      expect(report.integrations.notion?.waitPermitMs).toBe(70_000)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("the invocation's connection cap", () => {
  it.effect("a service allowed more than the cap is held to the invocation's 6 connections", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => slowPage)
      const notion = yield* client(upstream, { concurrency: 10, limits: unpaced("notion") })

      yield* within("10 seconds")(
        Effect.forEach(Arr.range(1, 20), (i) => notion.send(retrieve(i)), {
          concurrency: "unbounded"
        }).pipe(Effect.provideServiceEffect(Invocation.Invocation, Invocation.make()))
      )

      expect(upstream.arrivals).toHaveLength(20)
      expect(upstream.maxInFlight()).toBe(6)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("the cap is shared by every service of the invocation", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => slowPage)
      const notion = yield* client(upstream, { concurrency: 4, limits: unpaced("notion") })
      const slack = yield* client(upstream, {
        service: "slack",
        concurrency: 4,
        limits: unpaced("slack")
      })

      yield* within("10 seconds")(
        Effect.forEach(
          Arr.range(1, 10),
          (i) =>
            Effect.zip(notion.send(retrieve(i)), slack.send(retrieve(i)), { concurrent: true }),
          { concurrency: "unbounded" }
        ).pipe(
          Effect.provideServiceEffect(Invocation.Invocation, Invocation.make({ connections: 5 }))
        )
      )

      expect(upstream.arrivals).toHaveLength(20)
      expect(upstream.maxInFlight()).toBe(5)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("calls queued on their service's semaphore do not hold connections others need", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => slowPage)
      const notion = yield* client(upstream, { concurrency: 1, limits: unpaced("notion") })
      const slack = yield* client(upstream, {
        service: "slack",
        baseUrl: "https://slack.test/api",
        limits: unpaced("slack")
      })

      yield* within("20 seconds")(
        Effect.gen(function* () {
          const queued = yield* Effect.fork(
            Effect.forEach(Arr.range(1, 10), (i) => notion.send(retrieve(i)), {
              concurrency: "unbounded"
            })
          )
          yield* Effect.sleep("100 millis")
          yield* slack.send({ call: "chat.postMessage", method: "POST", path: "/chat.postMessage" })
          yield* queued.await
        }).pipe(Effect.provideServiceEffect(Invocation.Invocation, Invocation.make()))
      )

      const slackArrival = upstream.arrivals.find((arrival) =>
        arrival.url.startsWith("https://slack")
      )
      expect(slackArrival?.at).toBe(100)
      expect(upstream.arrivals).toHaveLength(11)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})

describe("slow start", () => {
  it.effect("the others wait for the first call, and go on when it is interrupted", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make((_, index) =>
        index === 0 ? { status: 200, hang: true } : Upstream.json(200, { object: "page" })
      )
      const notion = yield* client(upstream, { limits: unpaced("notion") })

      const first = yield* Effect.fork(notion.send(retrieve(1)))
      yield* TestClock.adjust("10 millis")
      const second = yield* Effect.fork(notion.send(retrieve(2)))
      yield* TestClock.adjust("10 millis")
      const waiting = upstream.arrivals.length
      yield* Fiber.interrupt(first)
      const answer = yield* within("1 second")(Fiber.join(second))

      expect(waiting).toBe(1)
      expect(answer.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(2)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
