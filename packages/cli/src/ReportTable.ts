import type { RunReport } from "@workway/core"

type Report = RunReport.RunReport

const pad = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? []
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)
        )
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

const ms = (value: number): string => value.toFixed(1)

/** Per integration: calls, retries, throttled responses, waits, cache hit rate and latency. */
export const integrations = (report: Report): string => {
  const header = [
    "integration",
    "calls",
    "retries",
    "throttled",
    "wait limit ms",
    "wait conn ms",
    "cache hits",
    "p50 ms",
    "p95 ms",
    "total ms"
  ]
  const rows = Object.entries(report.integrations).map(([name, s]) => {
    const lookups = s.cacheHits + s.cacheMisses
    return [
      name,
      String(s.calls),
      String(s.retries),
      String(s.throttled),
      ms(s.waitLimiterMs),
      ms(s.waitPermitMs),
      lookups === 0 ? "-" : `${Math.round((100 * s.cacheHits) / lookups)}%`,
      ms(s.p50Ms),
      ms(s.p95Ms),
      ms(s.totalMs)
    ]
  })
  return rows.length === 0 ? "(no integration calls)" : pad([header, ...rows])
}

/** The steps of the run in order, with their durations. */
export const steps = (report: Report): string =>
  report.steps.length === 0
    ? "(no steps)"
    : pad([
        ["step", "start ms", "duration ms", "outcome"],
        ...[...report.steps]
          .sort((a, b) => a.startMs - b.startMs)
          .map((step) => [step.name, ms(step.startMs), ms(step.durationMs), step.outcome])
      ])

/** A run report as text: headline, steps and the per-integration table. */
export const render = (report: Report, outcome: string): string =>
  [
    `${report.workflow} ${report.version} · run ${report.runId} · ${ms(report.wallMs)} ms · ${outcome}`,
    "",
    steps(report),
    "",
    integrations(report),
    ...roundTrips(report)
  ].join("\n")

/** Round trips to the shared rate-limit store against the requests they paced. */
const roundTrips = (report: Report): ReadonlyArray<string> => {
  const trips = report.counters?.rateLimiterRoundTrips
  if (trips === undefined) return []
  const requests = Object.values(report.integrations).reduce((sum, i) => sum + i.requests, 0)
  const ratio = requests === 0 ? "" : ` (${(trips / requests).toFixed(2)} per request)`
  return ["", `rate-limit store round trips: ${trips} for ${requests} requests${ratio}`]
}
