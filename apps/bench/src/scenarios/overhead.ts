import type { ClientName } from "../Job"
import { empty, type Result, round1 } from "../Result"
import { runOne } from "../Runner"
import { check, eachClient, type Scenario } from "./Scenario"

/**
 * CPU per call against an in-process upstream that answers a fixed page at once: the cost of
 * each client's machinery, with a limit that never binds.
 */
export const overhead: Scenario = {
  name: "overhead",
  run: async (params, clients) => {
    const p = params.overhead
    const measure = async (client: ClientName, label: Result["client"], bare: boolean) => {
      const job = { kind: "overhead", client, calls: p.calls, warmup: p.warmup, bare } as const
      const outcome = await runOne(job)
      return {
        ...empty(label, outcome.finishedAt - outcome.startedAt),
        failed: outcome.failed,
        completed: outcome.completed,
        cpuUsPerCall: round1(outcome.cpuUs / p.calls)
      } satisfies Result
    }
    const { rows, failures } = await eachClient(clients, async (client) =>
      client === "workway"
        ? [await measure(client, "effect-http", true), await measure(client, client, false)]
        : [await measure(client, client, false)]
    )
    const results = rows.flat()
    const raw = results.find((result) => result.client === "naive")?.cpuUsPerCall ?? null
    const row = results.find((result) => result.client === "workway")
    return {
      scenario: "overhead",
      title: `overhead: ${p.calls} creates against an in-process upstream, after ${p.warmup} to warm up`,
      params: { ...p },
      results,
      columns: ["wallMs", "cpuUsPerCall", "completed", "failed"],
      checks:
        raw === null
          ? []
          : check(row, "<= 1.2x raw fetch CPU per call", (r) => {
              const times = (r.cpuUsPerCall ?? Infinity) / raw
              return {
                actual: `${times.toFixed(2)}x (${r.cpuUsPerCall} µs vs ${raw} µs)`,
                met: times <= 1.2
              }
            }),
      notes: [
        ...failures,
        "naive is raw fetch: build the request, fetch, read the JSON. CPU is the client process's " +
          "user + system time over the measured calls.",
        "workway makes its calls one after another, like the raw loop; p-queue and Bottleneck get " +
          "every call queued at once, chunks and limit3 fan out their own way.",
        "effect-http sends the same requests through @effect/platform's HttpClient alone (with a " +
          "timeout per attempt, as the raw loop has): what any client built on it pays before " +
          "workway's pacing, retries, limits, decoding and report."
      ]
    }
  }
}
