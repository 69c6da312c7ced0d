import { runAll } from "./create"
import { check, type Scenario, workwayOf } from "./Scenario"

/** Creates against a vendor that injects 429s, 503s, connection resets and hangs. */
export const chaos: Scenario = {
  name: "chaos",
  run: async (params, clients) => {
    const p = params.chaos
    const { results, failures } = await runAll(clients, {
      params: p,
      told: p.limit,
      faults: p.faults
    })
    const row = workwayOf(results)
    const f = p.faults
    return {
      scenario: "chaos",
      title:
        `chaos: ${p.items} creates, ${(f.throttle ?? 0) * 100}% 429, ` +
        `${(f.serverError ?? 0) * 100}% 503, ${(f.reset ?? 0) * 100}% resets, ` +
        `${(f.hang ?? 0) * 100}% hangs`,
      params: { ...p },
      results,
      columns: [
        "wallMs",
        "ratio",
        "requests",
        "throttled",
        "completed",
        "failed",
        "duplicates",
        "lost"
      ],
      checks: [
        ...check(row, "0 lost", (r) => ({ actual: String(r.lost), met: r.lost === 0 })),
        ...check(row, "0 duplicates", (r) => ({
          actual: String(r.duplicates),
          met: r.duplicates === 0
        }))
      ],
      notes: [
        ...failures,
        `Every client gives up on an attempt after ${p.timeoutMs} ms, so that a hang ends.`,
        "The fake fails a faulted request before its route runs, so no fault here can create a " +
          "page the client did not hear about: duplicates stay 0 whoever retries."
      ]
    }
  }
}
