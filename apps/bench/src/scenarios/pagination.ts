import { setTimeout } from "node:timers/promises"
import { Samples } from "@workway/testing"
import type { ClientName } from "../Job"
import * as Listing from "../Listing"
import { scaleOf } from "../Params"
import { empty, type Result, round1, round2 } from "../Result"
import { runOne } from "../Runner"
import { check, eachClient, type Scenario } from "./Scenario"

/**
 * Reads every child of a block with 100,000 children, 100 a page. The baselines collect the
 * records in an array as they are usually written; workway streams them (and, for comparison,
 * collects them too as `workway-collect`). `limit3-count` is the same fetch loop as `limit3` that
 * only counts the records: the least memory any client can use. Each client runs in its own
 * process, whose resident set growth is the memory the reading cost.
 */
export const pagination: Scenario = {
  name: "pagination",
  run: async (params, clients) => {
    const p = params.pagination
    const pages = Math.ceil(p.records / p.pageSize)
    const floor = Math.max(
      (Math.max(0, pages - p.limit.burst) / p.limit.rate) * 1000,
      pages * p.latency.minMs
    )
    const runs = clients.flatMap(
      (
        client
      ): ReadonlyArray<{
        readonly label: Result["client"]
        readonly client: ClientName
        readonly collect: boolean
      }> =>
        client === "workway"
          ? [
              { label: "workway", client, collect: false },
              { label: "workway-collect", client, collect: true }
            ]
          : client === "limit3"
            ? [
                { label: client, client, collect: true },
                { label: "limit3-count", client, collect: false }
              ]
            : [{ label: client, client, collect: true }]
    )
    const upstream = await Listing.serve(
      { rateLimit: p.limit, latency: p.latency },
      p.records,
      Samples.credentials.notion.token
    )
    const results: Array<Result> = []
    const failures: Array<string> = []
    try {
      for (const run of runs) {
        const before = { ...upstream.fake.stats }
        const { rows, failures: failed } = await eachClient([run.client], () =>
          runOne({
            kind: "paginate",
            client: run.client,
            target: upstream.target,
            limit: p.limit,
            timing: { scale: scaleOf(p.limit), timeoutMs: p.timeoutMs },
            blockId: Listing.blockId,
            pageSize: p.pageSize,
            collect: run.collect
          })
        )
        failures.push(...failed)
        for (const outcome of rows) {
          const wallMs = outcome.finishedAt - outcome.startedAt
          results.push({
            ...empty(run.label, wallMs),
            floorMs: Math.round(floor),
            ratio: round2(wallMs / floor),
            requests: upstream.fake.stats.requests - before.requests,
            throttled: upstream.fake.stats.throttled - before.throttled,
            failed: outcome.failed,
            completed: outcome.completed,
            records: outcome.records ?? null,
            peakRssMb: outcome.rssPeakMb,
            rssGrowthMb: round1(outcome.rssPeakMb - outcome.rssStartMb),
            liveHeapGrowthMb: round1(outcome.liveHeapPeakMb - outcome.heapStartMb)
          })
        }
        await setTimeout((p.limit.burst / p.limit.rate) * 1000)
      }
    } finally {
      await upstream.close()
    }
    const row = results.find((result) => result.client === "workway")
    return {
      scenario: "pagination",
      title: `pagination: ${p.records.toLocaleString("en")} records, ${p.pageSize} a page, at ${p.limit.rate}/s`,
      params: { ...p },
      results,
      columns: [
        "wallMs",
        "floorMs",
        "ratio",
        "requests",
        "records",
        "failed",
        "peakRssMb",
        "rssGrowthMb",
        "liveHeapGrowthMb"
      ],
      checks: [
        ...check(row, "RSS growth <= 16 MB", (r) => ({
          actual: `${r.rssGrowthMb} MB`,
          met: (r.rssGrowthMb ?? Infinity) <= 16
        })),
        ...check(row, `all ${p.records} records read`, (r) => ({
          actual: String(r.records),
          met: r.records === p.records
        }))
      ],
      notes: [
        ...failures,
        "workway reads with the Notion integration's blocks.children.list, a Stream that fetches " +
          "a page as it is read. The listing is served by a Notion-shaped route on the fakes' " +
          "shared machinery (knobs, statistics): FakeNotion scans all 100,000 children on every " +
          "page.",
        "floor: the pages at the limit, or at the fastest latency one after another, whichever is longer.",
        "Each client runs in its own process with the old generation capped at 128 MB, a Worker " +
          "isolate's memory. RSS growth includes garbage V8 has not collected yet (its young " +
          "generation alone grows to about 30 MB under steady allocation); live heap growth is " +
          "the heap in use right after full collections.",
        "limit3-count is limit3's fetch loop counting the records instead of keeping them: the " +
          "memory a client needs to read page after page at all, and how much V8's collector " +
          "makes RSS growth vary from run to run."
      ]
    }
  }
}
