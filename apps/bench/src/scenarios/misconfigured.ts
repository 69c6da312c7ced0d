import { runAll } from "./create"
import { check, percent, type Scenario, workwayOf } from "./Scenario"

/** The same creates, every client told twice the real limit (rate and burst). */
export const misconfigured: Scenario = {
  name: "misconfigured",
  run: async (params, clients) => {
    const p = params.misconfigured
    const told = { rate: p.limit.rate * p.told, burst: p.limit.burst * p.told }
    const { results, series, failures } = await runAll(clients, { params: p, told })
    const row = workwayOf(results)
    return {
      scenario: "misconfigured",
      title:
        `misconfigured: ${p.items} creates at ${p.limit.rate}/s burst ${p.limit.burst}, ` +
        `clients told ${told.rate}/s burst ${told.burst}`,
      params: { ...p, toldLimit: told },
      results,
      columns: ["wallMs", "floorMs", "ratio", "requests", "throttled", "failed", "lost"],
      checks: [
        ...check(row, "ratio <= 1.2", (r) => ({
          actual: String(r.ratio),
          met: (r.ratio ?? Infinity) <= 1.2
        })),
        ...check(row, "<= 2% of requests throttled", (r) => {
          const share = (r.throttled ?? 0) / Math.max(1, r.requests ?? 0)
          return {
            actual: `${r.throttled} of ${r.requests} (${percent(share)})`,
            met: share <= 0.02
          }
        })
      ],
      chart: { limit: p.limit.rate, series },
      notes: failures
    }
  }
}
