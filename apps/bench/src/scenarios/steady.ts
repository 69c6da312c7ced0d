import { runAll } from "./create"
import { check, type Scenario, workwayOf } from "./Scenario"

/** N creates against the real limit, every client told that limit. */
export const steady: Scenario = {
  name: "steady",
  run: async (params, clients) => {
    const p = params.steady
    const { results, series, failures } = await runAll(clients, { params: p, told: p.limit })
    const row = workwayOf(results)
    return {
      scenario: "steady",
      title: `steady: ${p.items} creates at ${p.limit.rate}/s, burst ${p.limit.burst}`,
      params: { ...p },
      results,
      columns: ["wallMs", "floorMs", "ratio", "requests", "throttled", "failed", "lost"],
      checks: [
        ...check(row, "ratio <= 1.05", (r) => ({
          actual: String(r.ratio),
          met: (r.ratio ?? Infinity) <= 1.05
        })),
        ...check(row, "0 throttled", (r) => ({
          actual: String(r.throttled),
          met: r.throttled === 0
        }))
      ],
      chart: { limit: p.limit.rate, series },
      notes: failures
    }
  }
}
