import { runAll } from "./create"
import { check, percent, type Scenario, workwayOf } from "./Scenario"

/**
 * K processes share one vendor key. Each baseline process paces itself to the full limit, as
 * it would be deployed; workway's processes share one limit store.
 */
export const multiProcess: Scenario = {
  name: "multi-process",
  run: async (params, clients) => {
    const p = params.multiProcess
    const { results, series, failures } = await runAll(clients, {
      params: p,
      told: p.limit,
      processes: p.processes
    })
    const row = workwayOf(results)
    return {
      scenario: "multi-process",
      title:
        `multi-process: ${p.processes} processes share one key, ${p.items} creates in all at ` +
        `${p.limit.rate}/s burst ${p.limit.burst}`,
      params: { ...p },
      results,
      columns: ["wallMs", "floorMs", "utilisation", "requests", "throttled", "failed", "lost"],
      checks: [
        ...check(row, "0 throttled", (r) => ({
          actual: String(r.throttled),
          met: r.throttled === 0
        })),
        ...check(row, ">= 90% utilisation", (r) => ({
          actual: percent(r.utilisation ?? 0),
          met: (r.utilisation ?? 0) >= 0.9
        }))
      ],
      chart: { limit: p.limit.rate, series },
      notes: [
        ...failures,
        "utilisation: the least time the completed creates need at the real limit, over the wall time.",
        "workway's processes share a limit store served over loopback HTTP by the harness, " +
          "standing in for the Durable Object used in production."
      ]
    }
  }
}
