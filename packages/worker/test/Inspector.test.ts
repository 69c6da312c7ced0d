import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import type { RunReport } from "@workway/core"
import * as Inspector from "@workway/worker/Inspector"
import { describe, expect, it } from "vitest"
import { handler } from "./fixtures/greeter"

const summary = (calls: number): RunReport.IntegrationSummary => ({
  calls,
  requests: calls,
  retries: 0,
  throttled: 0,
  failures: 0,
  totalMs: 0,
  p50Ms: 0,
  p95Ms: 0,
  waitLimiterMs: 0,
  waitPermitMs: 0,
  cacheHits: 0,
  cacheMisses: 0
})

const call = (fields: Partial<RunReport.CallRecord>): RunReport.CallRecord => ({
  integration: "notion",
  call: "pages.create",
  startMs: 0,
  durationMs: 10,
  attempts: 1,
  throttled: 0,
  status: 200,
  outcome: "ok",
  waitLimiterMs: 0,
  waitPermitMs: 0,
  ...fields
})

const reportOf = (
  calls: ReadonlyArray<RunReport.CallRecord>,
  steps: ReadonlyArray<RunReport.StepRecord> = [],
  wallMs = 100
): RunReport.RunReport => ({
  workflow: "sample",
  version: "1.0.0",
  runId: "run-1",
  startedAt: "2026-11-12T16:30:00.000Z",
  wallMs,
  integrations: Object.fromEntries(
    [...new Set(calls.map((c) => c.integration))].map((name) => [
      name,
      summary(calls.filter((c) => c.integration === name).length)
    ])
  ),
  steps,
  calls,
  callsOmitted: 0,
  counters: {}
})

/** The groups of one kind in an SVG, each with its attributes and the rects it holds. */
const groups = (svg: string, kind: string) =>
  [...svg.matchAll(new RegExp(`<g data-kind="${kind}"([^>]*)>([\\s\\S]*?)</g>`, "g"))].map(
    (match) => ({
      attributes: match[1] ?? "",
      body: match[2] ?? "",
      rect: (part: string) => {
        const tag = new RegExp(`<rect data-part="${part}"([^>]*)/>`).exec(match[2] ?? "")?.[1]
        if (tag === undefined) return undefined
        const number = (name: string) => Number(new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1])
        return { x: number("x"), width: number("width"), fill: /fill="([^"]+)"/.exec(tag)?.[1] }
      }
    })
  )

const call0 = (svg: string, index: number) => {
  const group = groups(svg, "call")[index]
  if (group === undefined) throw new Error(`no call bar ${index}`)
  return group
}

describe("Inspector.waterfall", () => {
  it("draws one bar per call, placed and sized by its start and duration", () => {
    const svg = Inspector.waterfall(
      reportOf([
        call({ startMs: 0, durationMs: 100 }),
        call({ integration: "slack", call: "chat.postMessage", startMs: 50, durationMs: 50 })
      ])
    )
    expect(groups(svg, "call")).toHaveLength(2)
    const whole = call0(svg, 0).rect("call")!
    const half = call0(svg, 1).rect("call")!
    expect(half.x).toBeCloseTo(whole.x + whole.width / 2, 0)
    expect(half.width).toBeCloseTo(whole.width / 2, 0)
  })

  it("colours the bars of each integration differently", () => {
    const svg = Inspector.waterfall(
      reportOf([call({ integration: "zoom" }), call({ integration: "slack" }), call({})])
    )
    const fills = groups(svg, "call").map((group) => group.rect("call")?.fill)
    expect(new Set(fills).size).toBe(3)
  })

  it("shades the rate-limit and connection waits before the call itself", () => {
    const svg = Inspector.waterfall(
      reportOf([call({ startMs: 0, durationMs: 100, waitLimiterMs: 20, waitPermitMs: 10 })])
    )
    const bar = call0(svg, 0)
    const limiter = bar.rect("wait-limiter")!
    const permit = bar.rect("wait-permit")!
    const active = bar.rect("call")!
    const whole = limiter.width + permit.width + active.width
    expect(limiter.width / whole).toBeCloseTo(0.2, 2)
    expect(permit.width / whole).toBeCloseTo(0.1, 2)
    expect(permit.x).toBeCloseTo(limiter.x + limiter.width, 1)
    expect(active.x).toBeCloseTo(permit.x + permit.width, 1)
    expect(limiter.fill).toBe("url(#ww-wait-limiter)")
  })

  it("draws no wait for a call that did not wait", () => {
    const bar = call0(Inspector.waterfall(reportOf([call({})])), 0)
    expect(bar.rect("wait-limiter")).toBeUndefined()
    expect(bar.rect("wait-permit")).toBeUndefined()
  })

  it("marks retries, throttled responses and failures beside the bar", () => {
    const svg = Inspector.waterfall(
      reportOf([
        call({ attempts: 3, throttled: 2 }),
        call({ startMs: 20, outcome: "error", status: 503 })
      ])
    )
    expect(call0(svg, 0).body).toContain("↻2")
    expect(call0(svg, 0).body).toContain("429×2")
    expect(call0(svg, 1).body).toContain("✕ 503")
    expect(call0(svg, 1).body).toContain('stroke="#b91c1c"')
  })

  it("draws the steps as bars above the calls", () => {
    const svg = Inspector.waterfall(
      reportOf(
        [call({ startMs: 5 })],
        [
          { name: "fetch", startMs: 0, durationMs: 40, outcome: "ok" },
          { name: "write", startMs: 40, durationMs: 60, outcome: "error" }
        ]
      )
    )
    const steps = groups(svg, "step")
    expect(steps.map((step) => /data-name="([^"]+)"/.exec(step.attributes)?.[1])).toEqual([
      "fetch",
      "write"
    ])
    expect(svg.indexOf('data-kind="step"')).toBeLessThan(svg.indexOf('data-kind="call"'))
    expect(steps[1]?.body).toContain("#f87171")
  })

  it("escapes names from the report", () => {
    const svg = Inspector.waterfall(
      reportOf([call({ integration: "<script>alert(1)</script>", call: 'a"b' })])
    )
    expect(svg).not.toContain("<script>")
    expect(svg).toContain("&lt;script&gt;")
    expect(svg).toContain('data-call="a&quot;b"')
  })

  it("draws at most maxDrawnCalls bars and counts the rest", () => {
    const calls = Array.from({ length: Inspector.maxDrawnCalls + 5 }, (_, i) =>
      call({ startMs: i / 100 })
    )
    const svg = Inspector.waterfall(reportOf(calls))
    expect(groups(svg, "call")).toHaveLength(Inspector.maxDrawnCalls)
    expect(svg).toContain("5 more calls are not drawn")
  })
})

describe("Inspector.makeLog", () => {
  const execution = (runId: string, calls: number) => ({
    success: true as const,
    result: null,
    report: { ...reportOf(Array.from({ length: calls }, () => call({}))), runId }
  })

  it("keeps the newest runs up to its capacity", () => {
    const log = Inspector.makeLog({ runs: 3 })
    for (const id of ["a", "b", "c", "d", "e"]) log.record(execution(id, 1))
    expect(log.list().map((run) => run.report.runId)).toEqual(["e", "d", "c"])
    expect(log.find("a")).toBeUndefined()
    expect(log.find("c")?.success).toBe(true)
  })

  it("drops the oldest runs when their calls exceed the call budget", () => {
    const log = Inspector.makeLog({ runs: 10, calls: 10 })
    log.record(execution("a", 6))
    log.record(execution("b", 6))
    expect(log.list().map((run) => run.report.runId)).toEqual(["b"])
  })

  it("keeps a failed run's error type and message", () => {
    const log = Inspector.makeLog()
    log.record({
      success: false,
      error: { _tag: "IntegrationError", message: "Notion answered 503" },
      report: reportOf([])
    })
    expect(log.find("run-1")?.error).toEqual({
      type: "IntegrationError",
      message: "Notion answered 503"
    })
  })
})

/** Requests go to loopback, as under `workway dev`, where no API token is needed. */
const fetchWorker = async (request: Request) => {
  const ctx = createExecutionContext()
  const response = await handler.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  return response
}

const execute = async (name: string) => {
  const response = await fetchWorker(
    new Request("http://127.0.0.1/execute", {
      method: "POST",
      body: JSON.stringify({ person: { name } })
    })
  )
  return ((await response.json()) as { report: RunReport.RunReport }).report
}

describe("GET /__workway", () => {
  it("lists the runs the Worker executed, newest first, with a link to each", async () => {
    const first = await execute("Ada")
    const second = await execute("Grace")
    const response = await fetchWorker(new Request("http://127.0.0.1/__workway"))
    const page = await response.text()
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/html")
    expect(page).toContain(`href="/__workway/runs/${second.runId}"`)
    expect(page.indexOf(second.runId)).toBeLessThan(page.indexOf(first.runId))
    expect(page).toContain("Each isolate keeps its own")

    const listed = (await (
      await fetchWorker(new Request("http://127.0.0.1/__workway?format=json"))
    ).json()) as { runs: Array<{ runId: string; success: boolean }> }
    expect(listed.runs.slice(0, 2).map((run) => run.runId)).toEqual([second.runId, first.runId])
  })

  it("shows one run as a self-contained page with its waterfall, or as JSON", async () => {
    const report = await execute("Ada")
    const response = await fetchWorker(
      new Request(`http://127.0.0.1/__workway/runs/${report.runId}`)
    )
    const page = await response.text()
    expect(response.status).toBe(200)
    expect(page).toContain("<svg")
    expect(page).toContain(`data-run-id="${report.runId}"`)
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'")
    expect(page).not.toMatch(/<script|<link|@import|src=|url\(http|href="http/i)

    const json = await fetchWorker(
      new Request(`http://127.0.0.1/__workway/runs/${report.runId}?format=json`)
    )
    const run = (await json.json()) as { success: boolean; report: RunReport.RunReport }
    expect(run.success).toBe(true)
    expect(run.report).toEqual(report)
  })

  it("records failed runs with their error", async () => {
    const response = await fetchWorker(
      new Request("http://127.0.0.1/execute", {
        method: "POST",
        body: JSON.stringify({ person: { name: "Ada" }, mood: "grumpy" })
      })
    )
    const { report } = (await response.json()) as { report: RunReport.RunReport }
    const page = await (
      await fetchWorker(new Request(`http://127.0.0.1/__workway/runs/${report.runId}`))
    ).text()
    expect(page).toContain("Grumpy")
  })

  it("answers 404 for a run it does not have and 405 for a method other than GET", async () => {
    const missing = await fetchWorker(new Request("http://127.0.0.1/__workway/runs/nope"))
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain("Run not found")
    const json = await fetchWorker(new Request("http://127.0.0.1/__workway/runs/nope?format=json"))
    expect(((await json.json()) as { error: { type: string } }).error.type).toBe("RunNotFound")
    const post = await fetchWorker(new Request("http://127.0.0.1/__workway", { method: "POST" }))
    expect(post.status).toBe(405)
  })
})
