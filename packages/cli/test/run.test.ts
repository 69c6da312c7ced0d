import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { RunReport } from "@workway/core"
import { Effect, Fiber, Option, Schedule, TestClock } from "effect"
import * as App from "../src/App"
import * as Progress from "../src/Progress"
import * as Run from "../src/Run"
import { repo } from "./support/cli"

const appDir = path.join(repo, "apps/meeting-notes")
const app: App.App = { dir: appDir, name: "meeting-notes", display: "apps/meeting-notes" }
const payload: unknown = JSON.parse(fs.readFileSync(path.join(appDir, "test-payload.json"), "utf8"))

describe("Run.run", () => {
  it.live("runs meeting-notes in process against the fakes and reports every call", () =>
    Effect.gen(function* () {
      const { execution, fakes } = yield* Run.run({ app, payload, live: false, env: {} })
      expect(execution.success).toBe(true)
      expect(Object.keys(execution.report.integrations).sort()).toEqual([
        "ai",
        "notion",
        "slack",
        "zoom"
      ])
      const result = (execution as { result: { notionPageId: string } }).result
      expect(fakes?.notion.state.pages.has(result.notionPageId)).toBe(true)
      expect(execution.report.calls.length).toBeGreaterThanOrEqual(8)
    })
  )

  it.live("uses the fakes' credentials even when real ones are in the environment", () =>
    Effect.gen(function* () {
      const env = { NOTION_TOKEN: "secret_real", SLACK_BOT_TOKEN: "xoxb-real" }
      const { execution } = yield* Run.run({ app, payload, live: false, env })
      expect(execution.success).toBe(true)
    })
  )

  it.live("names the field when the payload does not match the trigger", () =>
    Effect.gen(function* () {
      const broken = structuredClone(payload) as { payload: { object: { id: unknown } } }
      broken.payload.object.id = { not: "an id" }
      const error = yield* Effect.flip(Run.run({ app, payload: broken, live: false, env: {} }))
      expect(error.message).toContain("does not match the workflow's trigger schema")
      expect(error.message).toContain("$.payload.object.id")
    })
  )

  it.live("gives the watcher the run's recorder while the run goes", () =>
    Effect.gen(function* () {
      const seen: Array<number> = []
      yield* Run.run({
        app,
        payload,
        live: false,
        env: {},
        fakes: { latency: { minMs: 20, maxMs: 20 } },
        watch: (recorder) =>
          recorder.pipe(
            Effect.flatMap(
              Option.match({
                onNone: () => Effect.void,
                onSome: (current) =>
                  Effect.map(current.report, (report) => void seen.push(report.wallMs))
              })
            ),
            Effect.repeat(Schedule.spaced("5 millis"))
          )
      })
      expect(seen.length).toBeGreaterThan(2)
      expect(seen).toEqual([...seen].sort((a, b) => a - b))
    })
  )
})

describe("Run.environment", () => {
  it("drops vendor settings of the environment and adds the fakes' credentials", () => {
    const env = Run.environment(
      { NOTION_VERSION: "2025-09-03" },
      { NOTION_TOKEN: "real", NOTION_BASE_URL: "https://elsewhere", WORKWAY_X: "1" },
      false
    )
    expect(env.NOTION_TOKEN).toBe("secret_fake_notion")
    expect(env.NOTION_BASE_URL).toBeUndefined()
    expect(env).toMatchObject({ NOTION_VERSION: "2025-09-03", WORKWAY_X: "1" })
  })

  it("passes the environment through for live runs, over the app's vars", () => {
    const env = Run.environment({ NOTION_VERSION: "old" }, { NOTION_VERSION: "new" }, true)
    expect(env).toEqual({ NOTION_VERSION: "new" })
  })
})

describe("App.resolve", () => {
  it.effect("says how to create an app that does not exist", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(App.resolve("no-such-app"))
      expect(error.message).toContain("No app named no-such-app")
      expect(error.message).toContain("workway init no-such-app")
    })
  )

  it.effect("says what a folder lacks to be an app", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(App.resolve(path.join(repo, "packages/cli")))
      expect(error.message).toContain(
        "is not a workway app: expected src/worker.ts and wrangler.toml"
      )
    })
  )
})

/** What a terminal is sent to clear the line it rewrites. */
const escapeSequence = "\\r\\x1b\\[2K"

const call = (integration: string): RunReport.CallRecord => ({
  integration,
  call: "x",
  startMs: 0,
  durationMs: 5,
  attempts: 1,
  throttled: 0,
  status: 200,
  outcome: "ok",
  waitLimiterMs: 100,
  waitPermitMs: 0
})

describe("Progress", () => {
  it("says calls done, rate, time waiting on limits and the time left", () => {
    const text = Progress.line(
      {
        elapsedMs: 10_000,
        calls: 50,
        retries: 2,
        throttled: 1,
        waitMs: 3_500,
        byIntegration: [["notion", 50]]
      },
      100
    )
    expect(text).toBe(
      "50/100 calls (notion 50) · 5.0/s · waiting on limits 3.5 s · 2 retries · 1 throttled · 0:10 elapsed · ETA 0:10"
    )
  })

  it.effect(
    "rewrites one line on a terminal from the recorder's counts, after the first second",
    () =>
      Effect.gen(function* () {
        const recorder = yield* RunReport.makeRecorder({ workflow: "w", version: "1", runId: "r" })
        const written: Array<string> = []
        const fiber = yield* Effect.fork(
          Progress.show(Effect.succeed(Option.some(recorder)), {
            tty: true,
            write: (text) => void written.push(text)
          })
        )
        recorder.call(call("notion"))
        yield* TestClock.adjust("750 millis")
        expect(written).toEqual([])
        recorder.call(call("notion"))
        recorder.call(call("slack"))
        yield* TestClock.adjust("500 millis")
        expect(written.at(-1)).toMatch(
          new RegExp(`^${escapeSequence}3 calls \\(notion 2, slack 1\\) · `)
        )
        expect(written.at(-1)).toContain("waiting on limits 0.3 s")
        yield* Fiber.interrupt(fiber)
        expect(written.at(-1)).toBe("\r\x1b[2K")
      })
  )

  it.effect("prints a plain line every five seconds when not on a terminal", () =>
    Effect.gen(function* () {
      const recorder = yield* RunReport.makeRecorder({ workflow: "w", version: "1", runId: "r" })
      const written: Array<string> = []
      const fiber = yield* Effect.fork(
        Progress.show(Effect.succeed(Option.some(recorder)), {
          tty: false,
          write: (text) => void written.push(text)
        })
      )
      yield* TestClock.adjust("12 seconds")
      yield* Fiber.interrupt(fiber)
      expect(written).toHaveLength(3)
      expect(written.every((line) => line.endsWith("\n") && !line.includes("\r"))).toBe(true)
    })
  )
})
