import type { RunReport } from "@workway/core"
import { document, duration, escapeHtml } from "./Html"
import type { RecordedRun } from "./RunLog"
import * as Waterfall from "./Waterfall"

/** Where the inspector is served. */
export const base = "/__workway"

const isolateNote =
  "These are the runs this Worker isolate has executed since it started, newest first. " +
  "Each isolate keeps its own: a deployed Worker runs many, so a run served by another isolate " +
  "is not listed here."

const totals = (report: RunReport.RunReport) =>
  Object.values(report.integrations).reduce(
    (sum, s) => ({
      calls: sum.calls + s.calls,
      retries: sum.retries + s.retries,
      throttled: sum.throttled + s.throttled,
      waitMs: sum.waitMs + s.waitLimiterMs + s.waitPermitMs
    }),
    { calls: 0, retries: 0, throttled: 0, waitMs: 0 }
  )

const outcome = (run: RecordedRun): string =>
  run.success
    ? `<span class="pill ok">ok</span>`
    : `<span class="pill failed" ` +
      `title="${escapeHtml(run.error?.message ?? "")}">${escapeHtml(run.error?.type ?? "failed")}</span>`

const runPath = (runId: string) => `${base}/runs/${encodeURIComponent(runId)}`

/** A recent run in the list, as JSON. */
export const summary = (run: RecordedRun) => ({
  runId: run.report.runId,
  workflow: run.report.workflow,
  version: run.report.version,
  startedAt: run.report.startedAt,
  wallMs: run.report.wallMs,
  success: run.success,
  ...(run.error === undefined ? {} : { error: run.error }),
  ...totals(run.report)
})

/** The page listing recent runs. */
export const list = (runs: ReadonlyArray<RecordedRun>): string => {
  const rows = runs.map((run) => {
    const t = totals(run.report)
    return `<tr data-run-id="${escapeHtml(run.report.runId)}">
<td class="left">${escapeHtml(run.report.startedAt.replace("T", " ").replace("Z", ""))}</td>
<td class="left">${escapeHtml(run.report.workflow)} <span class="meta">${escapeHtml(run.report.version)}</span></td>
<td class="left"><a href="${escapeHtml(runPath(run.report.runId))}"><code>${escapeHtml(run.report.runId)}</code></a></td>
<td class="left">${outcome(run)}</td>
<td>${escapeHtml(duration(run.report.wallMs))}</td>
<td>${t.calls}</td><td>${t.retries}</td><td>${t.throttled}</td>
<td>${escapeHtml(duration(t.waitMs))}</td>
</tr>`
  })
  const table =
    runs.length === 0
      ? `<p class="note">No runs yet. Start one with <code>POST /execute</code>; it appears here when it ends.</p>`
      : `<table>
<thead><tr><th>started (UTC)</th><th class="left">workflow</th><th class="left">run</th><th class="left">outcome</th><th>wall</th><th>calls</th><th>retries</th><th>throttled</th><th>waiting on limits</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`
  return document(
    "workway runs",
    `<h1>Recent runs</h1>
<p class="note">${escapeHtml(isolateNote)} <a href="${base}?format=json">JSON</a></p>
${table}`
  )
}

const integrationTable = (report: RunReport.RunReport): string => {
  const rows = Object.entries(report.integrations).map(([name, s]) => {
    const lookups = s.cacheHits + s.cacheMisses
    return `<tr><td><span style="color:${Waterfall.colorOf(name)};font-weight:600">${escapeHtml(name)}</span></td>
<td>${s.calls}</td><td>${s.retries}</td><td>${s.throttled}</td><td>${s.failures}</td>
<td>${escapeHtml(duration(s.waitLimiterMs))}</td><td>${escapeHtml(duration(s.waitPermitMs))}</td>
<td>${lookups === 0 ? "–" : `${Math.round((100 * s.cacheHits) / lookups)}%`}</td>
<td>${escapeHtml(duration(s.p50Ms))}</td><td>${escapeHtml(duration(s.p95Ms))}</td><td>${escapeHtml(duration(s.totalMs))}</td></tr>`
  })
  return rows.length === 0
    ? `<p class="note">This run made no integration calls.</p>`
    : `<table>
<thead><tr><th>integration</th><th>calls</th><th>retries</th><th>throttled</th><th>failed</th><th>rate-limit wait</th><th>connection wait</th><th>cache hits</th><th>p50</th><th>p95</th><th>total</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`
}

/** The page of one run: its headline, waterfall and per-integration table. */
export const detail = (run: RecordedRun): string => {
  const { report } = run
  const t = totals(report)
  const failure =
    run.error === undefined
      ? ""
      : `<p class="error"><strong>${escapeHtml(run.error.type)}</strong>: ${escapeHtml(run.error.message)}</p>`
  return document(
    `${report.workflow} run ${report.runId}`,
    `<p><a href="${base}">← recent runs</a></p>
<h1>${escapeHtml(report.workflow)} <span class="meta">${escapeHtml(report.version)}</span> ${outcome(run)}</h1>
<p class="meta"><span>run <code>${escapeHtml(report.runId)}</code></span><span>started ${escapeHtml(report.startedAt)}</span><span>${escapeHtml(duration(report.wallMs))} wall</span><span>${t.calls} calls</span><span>${t.retries} retries</span><span>${t.throttled} throttled</span><span><a href="${escapeHtml(runPath(report.runId))}?format=json">JSON</a></span></p>
${failure}
<h2>Waterfall</h2>
<div class="chart">
${Waterfall.render(report)}
</div>
<h2>Integrations</h2>
${integrationTable(report)}`
  )
}

/** The page answered for a run this isolate does not have. */
export const missing = (runId: string): string =>
  document(
    "workway run not found",
    `<p><a href="${base}">← recent runs</a></p>
<h1>Run not found</h1>
<p class="note">No run <code>${escapeHtml(runId)}</code> among this isolate's recent runs. ${escapeHtml(isolateNote)}</p>`
  )
