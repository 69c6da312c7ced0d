import type { ClientName, CreateJob } from "../Job"
import { scaleOf } from "../Params"
import * as PlainBucketServer from "../PlainBucketServer"
import { type Result, round2, type Series } from "../Result"
import { runTogether } from "../Runner"
import * as Upstream from "../Upstream"
import { check, eachClient, percent, type Scenario, workwayOf } from "./Scenario"

const runClient = async (
  client: ClientName,
  p: {
    readonly items: number
    readonly limit: { readonly rate: number; readonly burst: number }
    readonly unavailable: number
    readonly timeoutMs: number
  }
): Promise<{ readonly result: Result; readonly series: Series }> => {
  const server = await PlainBucketServer.serve({
    rate: p.limit.rate,
    burst: p.limit.burst,
    unavailable: p.unavailable
  })
  try {
    const keys = Upstream.itemKeys(p.items)
    const job: CreateJob = {
      kind: "create",
      client,
      target: {
        origin: server.origin,
        token: "secret_independent",
        version: Upstream.notionVersion
      },
      limit: p.limit,
      timing: { scale: scaleOf(p.limit), timeoutMs: p.timeoutMs },
      parentPageId: Upstream.parentPageId,
      keys
    }
    const [outcome] = await runTogether([job])
    if (outcome === undefined) throw new Error("no outcome")
    const wallMs = outcome.finishedAt - outcome.startedAt
    const floorMs = (Math.max(0, p.items - p.limit.burst) / p.limit.rate) * 1000
    const { counts } = server
    let duplicates = 0
    let lost = 0
    for (const key of keys) {
      const copies = counts.created.get(key) ?? 0
      if (copies === 0) lost++
      else duplicates += copies - 1
    }
    return {
      result: {
        client,
        wallMs,
        floorMs: Math.round(floorMs),
        ratio: round2(wallMs / floorMs),
        requests: counts.requests,
        throttled: counts.throttled,
        failed: outcome.failed,
        duplicates,
        lost,
        cpuUsPerCall: null,
        peakRssMb: null,
        rssGrowthMb: null,
        liveHeapGrowthMb: null,
        completed: outcome.completed,
        records: null,
        calls: null,
        utilisation: null
      },
      series: {
        client,
        perSecond: Upstream.acceptedSeries(counts, outcome.startedAt, outcome.finishedAt)
      }
    }
  } finally {
    await server.close()
  }
}

/**
 * Creates against a plain token bucket written apart from the vendor fakes (Retry-After in
 * seconds or as a date, a share of bare 503s), every client told the real limit.
 */
export const independent: Scenario = {
  name: "independent",
  run: async (params, clients) => {
    const p = params.independent
    const { rows, failures } = await eachClient(clients, (client) => runClient(client, p))
    const results = rows.map((row) => row.result)
    const row = workwayOf(results)
    return {
      scenario: "independent",
      title:
        `independent: ${p.items} creates against a plain token bucket at ${p.limit.rate}/s ` +
        `burst ${p.limit.burst}, ${p.unavailable * 100}% 503s`,
      params: { ...p },
      results,
      columns: [
        "wallMs",
        "floorMs",
        "ratio",
        "requests",
        "throttled",
        "completed",
        "failed",
        "duplicates",
        "lost"
      ],
      checks: [
        ...check(row, "0 failed", (r) => ({ actual: String(r.failed), met: r.failed === 0 })),
        ...check(row, "<= 1% of requests throttled", (r) => {
          const share = (r.throttled ?? 0) / Math.max(1, r.requests ?? 0)
          return {
            actual: `${r.throttled} of ${r.requests} (${percent(share)})`,
            met: share <= 0.01
          }
        }),
        ...check(row, "ratio <= 1.15", (r) => ({
          actual: String(r.ratio),
          met: (r.ratio ?? Infinity) <= 1.15
        }))
      ],
      chart: { limit: p.limit.rate, series: rows.map((r) => r.series) },
      notes: [
        ...failures,
        "The floor is the time the limit allows: the burst at once, then the rate. A 503 is " +
          "answered before the page is created, so a client that repeats it loses nothing."
      ]
    }
  }
}
