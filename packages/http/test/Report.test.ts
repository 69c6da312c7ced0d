import { describe, expect, it } from "@effect/vitest"
import { IntegrationError, Trigger, Workflow } from "@workway/core"
import { Effect, Schema } from "effect"
import * as Limit from "../src/Limit"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { client } from "./support/Services"
import * as Upstream from "./support/Upstream"

const page = { ...Upstream.json(200, { object: "page", id: "p" }), after: "100 millis" } as const

describe("the run report", () => {
  it.effect(
    "sums each integration's calls, requests, retries, throttles, latencies and waits",
    () =>
      Effect.gen(function* () {
        const upstream = yield* Upstream.make(
          Upstream.sequence(
            page,
            Upstream.json(503, { message: "busy" }, { "retry-after": "2" }),
            page,
            Upstream.json(429, { code: "rate_limited", message: "slow" }, { "retry-after": "1" }),
            page,
            Upstream.json(404, { code: "object_not_found", message: "gone" })
          )
        )
        const notion = yield* client(upstream, {
          limits: () => [{ key: "notion", limit: Limit.perSecond(1, 1) }]
        })
        const workflow = Workflow.make({
          name: "sync",
          version: "1.0.0",
          trigger: Trigger.manual({ payload: Schema.Struct({}) }),
          inputs: Schema.Struct({}),
          run: () =>
            Effect.gen(function* () {
              yield* notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/a" })
              yield* notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/b" })
              yield* notion.send({ call: "pages.create", method: "POST", path: "/pages" })
              yield* notion.send({ call: "users.retrieve", method: "GET", path: "/users/u" })
            })
        })

        const execution = yield* within("1 minute")(
          Workflow.execute(workflow, { trigger: {}, runId: "run-1" })
        )

        expect(execution.success).toBe(false)
        if (execution.success) return
        expect(execution.error).toBeInstanceOf(IntegrationError)
        expect(execution.error).toMatchObject({ reason: "NotFound", call: "users.retrieve" })
        const { report } = execution
        expect(report).toMatchObject({ workflow: "sync", version: "1.0.0", runId: "run-1" })
        expect(report.wallMs).toBeCloseTo(7000, 1)
        expect(report.integrations.notion).toEqual({
          calls: 4,
          requests: 6,
          retries: 2,
          throttled: 1,
          failures: 1,
          totalMs: 7000,
          p50Ms: 1900,
          p95Ms: 3000,
          waitLimiterMs: 3700,
          waitPermitMs: 0,
          cacheHits: 0,
          cacheMisses: 0
        })
        expect(
          report.calls.map(
            ({ call, startMs, durationMs, attempts, throttled, status, outcome }) => ({
              call,
              startMs,
              durationMs,
              attempts,
              throttled,
              status,
              outcome
            })
          )
        ).toEqual([
          {
            call: "pages.retrieve",
            startMs: 0,
            durationMs: 100,
            attempts: 1,
            throttled: 0,
            status: 200,
            outcome: "ok"
          },
          {
            call: "pages.retrieve",
            startMs: 100,
            durationMs: 3000,
            attempts: 2,
            throttled: 0,
            status: 200,
            outcome: "ok"
          },
          {
            call: "pages.create",
            startMs: 3100,
            durationMs: 2000,
            attempts: 2,
            throttled: 1,
            status: 200,
            outcome: "ok"
          },
          {
            call: "users.retrieve",
            startMs: 5100,
            durationMs: 1900,
            attempts: 1,
            throttled: 0,
            status: 404,
            outcome: "error"
          }
        ])
      }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("keeps each integration apart", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => Upstream.json(200, {}))
      const notion = yield* client(upstream)
      const slack = yield* client(upstream, { service: "slack", baseUrl: "https://slack.test/api" })
      const workflow = Workflow.make({
        name: "notify",
        version: "1",
        trigger: Trigger.manual({ payload: Schema.Struct({}) }),
        inputs: Schema.Struct({}),
        run: () =>
          Effect.all([
            notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/a" }),
            notion.send({ call: "pages.retrieve", method: "GET", path: "/pages/b" }),
            slack.send({ call: "chat.postMessage", method: "POST", path: "/chat.postMessage" })
          ])
      })

      const execution = yield* within("1 minute")(Workflow.execute(workflow, { trigger: {} }))

      expect(execution.success).toBe(true)
      expect(execution.report.integrations.notion).toMatchObject({ calls: 2, requests: 2 })
      expect(execution.report.integrations.slack).toMatchObject({ calls: 1, requests: 1 })
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
