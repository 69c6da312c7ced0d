import type { ClientName, CreateJob, Outcome, RateLimit } from "../Job"
import { type CreateParams, scaleOf } from "../Params"
import { type Result, round2, type Series } from "../Result"
import { runTogether } from "../Runner"
import * as SharedStore from "../SharedStore"
import * as Upstream from "../Upstream"
import { eachClient } from "./Scenario"

/** How one client is run against a fresh fake. */
export interface CreateRun {
  readonly params: CreateParams
  /** The limit the clients are told (the real one unless misconfigured). */
  readonly told: RateLimit
  readonly faults?: Upstream.Knobs["faults"]
  /** Processes sharing the vendor key; workway shares a limit store across them. */
  readonly processes?: number
}

/** The least time `items` creates take at the limit: the burst at once, then the rate. */
export const floorMs = (params: CreateParams, items: number = params.items): number =>
  (Math.max(0, items - params.limit.burst) / params.limit.rate) * 1000 + params.latency.minMs

const split = <A>(items: ReadonlyArray<A>, parts: number): ReadonlyArray<ReadonlyArray<A>> =>
  Array.from({ length: parts }, (_, part) => items.filter((_, index) => index % parts === part))

const sum = (outcomes: ReadonlyArray<Outcome>, field: "completed" | "failed") =>
  outcomes.reduce((total, outcome) => total + outcome[field], 0)

/**
 * Creates `items` pages with one client against a fresh fake Notion and reads what the fake
 * saw: requests, 429s, pages per key, accepted requests per second.
 */
export const runClient = async (
  client: ClientName,
  run: CreateRun
): Promise<{ readonly result: Result; readonly series: Series }> => {
  const { params } = run
  const upstream = await Upstream.notion({
    rateLimit: params.limit,
    latency: params.latency,
    faults: run.faults
  })
  const processes = run.processes ?? 1
  const store = client === "workway" && processes > 1 ? await SharedStore.serve() : undefined
  try {
    const keys = Upstream.itemKeys(params.items)
    const jobs = split(keys, processes).map(
      (part): CreateJob => ({
        kind: "create",
        client,
        target: upstream.target,
        limit: run.told,
        timing: { scale: scaleOf(params.limit), timeoutMs: params.timeoutMs },
        parentPageId: Upstream.parentPageId,
        keys: part,
        store: store?.url
      })
    )
    const outcomes = await runTogether(jobs)
    const startedAt = Math.min(...outcomes.map((o) => o.startedAt))
    const finishedAt = Math.max(...outcomes.map((o) => o.finishedAt))
    const wallMs = finishedAt - startedAt
    const floor = floorMs(params)
    const { stats, state } = upstream.fake
    const { duplicates, lost } = Upstream.tally(state, keys)
    return {
      result: {
        client,
        wallMs,
        floorMs: Math.round(floor),
        ratio: round2(wallMs / floor),
        requests: stats.requests,
        throttled: stats.throttled,
        failed: sum(outcomes, "failed"),
        duplicates,
        lost,
        cpuUsPerCall: null,
        peakRssMb: null,
        rssGrowthMb: null,
        liveHeapGrowthMb: null,
        completed: sum(outcomes, "completed"),
        records: null,
        calls: null,
        utilisation: round2(floorMs(params, sum(outcomes, "completed")) / wallMs)
      },
      series: { client, perSecond: Upstream.acceptedSeries(stats, startedAt, finishedAt) }
    }
  } finally {
    await store?.close()
    await upstream.close()
  }
}

/** Runs every client in turn. */
export const runAll = async (clients: ReadonlyArray<ClientName>, run: CreateRun) => {
  const { rows, failures } = await eachClient(clients, (client) => runClient(client, run))
  return {
    results: rows.map((row) => row.result),
    series: rows.map((row) => row.series),
    failures
  }
}
