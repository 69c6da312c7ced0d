import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as RunReport from "../src/RunReport"

const call = (overrides: Partial<RunReport.CallRecord> = {}): RunReport.CallRecord => ({
  integration: "notion",
  call: "pages.retrieve",
  startMs: 0,
  durationMs: 10,
  attempts: 1,
  throttled: 0,
  status: 200,
  outcome: "ok",
  waitLimiterMs: 0,
  waitPermitMs: 0,
  ...overrides
})

const newRecorder = RunReport.makeRecorder({ workflow: "sync", version: "2", runId: "run-7" })

describe("the recorder", () => {
  it.effect("summarizes calls per integration: counts, retries, failures, waits", () =>
    Effect.gen(function* () {
      const recorder = yield* newRecorder
      recorder.call(call({ attempts: 3, throttled: 2, waitLimiterMs: 1200.04, waitPermitMs: 5 }))
      recorder.call(call({ outcome: "error", status: 404, waitLimiterMs: 300 }))
      recorder.call(call({ integration: "slack", call: "chat.postMessage" }))

      const report = yield* recorder.report

      expect(report.integrations.notion).toMatchObject({
        calls: 2,
        requests: 4,
        retries: 2,
        throttled: 2,
        failures: 1,
        totalMs: 20,
        waitLimiterMs: 1500,
        waitPermitMs: 5
      })
      expect(report.integrations.slack).toMatchObject({ calls: 1, requests: 1, retries: 0 })
    })
  )

  it.effect("reports nearest-rank p50 and p95 latencies", () =>
    Effect.gen(function* () {
      const recorder = yield* newRecorder
      for (const durationMs of [
        20, 1, 19, 2, 18, 3, 17, 4, 16, 5, 15, 6, 14, 7, 13, 8, 12, 9, 11, 10
      ]) {
        recorder.call(call({ durationMs }))
      }

      const { integrations } = yield* recorder.report

      expect(integrations.notion?.p50Ms).toBe(10)
      expect(integrations.notion?.p95Ms).toBe(19)
    })
  )

  it.effect("counts cache hits and misses", () =>
    Effect.gen(function* () {
      const recorder = yield* newRecorder
      recorder.cache("notion", true)
      recorder.cache("notion", true)
      recorder.cache("notion", false)

      const { integrations } = yield* recorder.report

      expect(integrations.notion).toMatchObject({ calls: 0, cacheHits: 2, cacheMisses: 1 })
    })
  )

  it.effect("lists the first 2,000 calls and still counts the rest", () =>
    Effect.gen(function* () {
      const recorder = yield* newRecorder
      for (let i = 0; i < 2005; i++) recorder.call(call())

      const report = yield* recorder.report

      expect(report.calls).toHaveLength(2000)
      expect(report.callsOmitted).toBe(5)
      expect(report.integrations.notion?.calls).toBe(2005)
    })
  )

  it.effect("times the run by the Effect clock", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-11-02T10:00:00Z"))
      const recorder = yield* newRecorder
      yield* TestClock.adjust("1500 millis")

      const report = yield* recorder.report

      expect(report).toMatchObject({
        workflow: "sync",
        version: "2",
        runId: "run-7",
        startedAt: "2026-11-02T10:00:00.000Z",
        wallMs: 1500
      })
    })
  )

  it.effect("keeps sub-millisecond time after a fractional sleep", () =>
    Effect.gen(function* () {
      const recorder = yield* newRecorder
      yield* TestClock.adjust("333.3333 millis")

      expect(yield* recorder.elapsed).toBe(333.3)
    })
  )
})

describe("outside a run", () => {
  it.effect("elapsed time is zero and recording is a no-op", () =>
    Effect.gen(function* () {
      yield* TestClock.adjust("5 seconds")
      expect(yield* RunReport.currentElapsed).toBe(0)
      yield* RunReport.withRecorder(() => {
        throw new Error("no recorder outside a run")
      })
    })
  )

  it.effect("a step runs its effect unrecorded", () =>
    Effect.gen(function* () {
      expect(yield* Effect.succeed(42).pipe(RunReport.step("answer"))).toBe(42)
    })
  )
})
