import { scaleOf } from "../Params"
import { empty, type Result, round2 } from "../Result"
import { runOne } from "../Runner"
import * as Upstream from "../Upstream"
import { check, eachClient, type Scenario, workwayOf } from "./Scenario"

/**
 * M lookups over U distinct ids (Notion `GET /v1/users/{id}`): the baselines ask every time,
 * workway's integration answers equal requests of a run once.
 */
export const lookups: Scenario = {
  name: "lookups",
  run: async (params, clients) => {
    const p = params.lookups
    const unique = Upstream.userIds(p.unique)
    const ids = Array.from({ length: p.lookups }, (_, i) => unique[(i * 7) % unique.length]!)
    const floor = (Math.max(0, p.unique - p.limit.burst) / p.limit.rate) * 1000 + p.latency.minMs
    const { rows: results, failures } = await eachClient(clients, async (client) => {
      const upstream = await Upstream.notion(
        { rateLimit: p.limit, latency: p.latency },
        { users: p.unique }
      )
      try {
        const outcome = await runOne({
          kind: "lookup",
          client,
          target: upstream.target,
          limit: p.limit,
          timing: { scale: scaleOf(p.limit), timeoutMs: p.timeoutMs },
          ids
        })
        const wallMs = outcome.finishedAt - outcome.startedAt
        return {
          ...empty(client, wallMs),
          floorMs: Math.round(floor),
          ratio: round2(wallMs / floor),
          requests: upstream.fake.stats.requests,
          throttled: upstream.fake.stats.throttled,
          calls: upstream.fake.stats.requests - upstream.fake.stats.throttled,
          failed: outcome.failed,
          completed: outcome.completed
        } satisfies Result
      } finally {
        await upstream.close()
      }
    })
    const row = workwayOf(results)
    return {
      scenario: "lookups",
      title: `lookups: ${p.lookups} user lookups over ${p.unique} ids at ${p.limit.rate}/s`,
      params: { ...p },
      results,
      columns: ["wallMs", "floorMs", "ratio", "calls", "requests", "throttled", "failed"],
      checks: check(row, `upstream calls == ${p.unique}`, (r) => ({
        actual: r.requests === r.calls ? String(r.calls) : `${r.calls} (${r.requests} requests)`,
        met: r.calls === p.unique
      })),
      notes: [
        ...failures,
        "floor: the distinct ids alone at the limit. workway calls the Notion integration's " +
          "users.retrieve (Request/RequestResolver) inside a run's request cache, as " +
          "Workflow.execute sets it up, and without Storage, so nothing is cached across runs.",
        "calls: the requests the fake answered other than with a 429, i.e. the lookups that " +
          "reached Notion; requests count the retries after a 429 too."
      ]
    }
  }
}
