import type { RunReport } from "@workway/core"
import { duration, escapeHtml } from "./Html"

/** Calls drawn at most; the rest are counted under the chart. */
export const maxDrawnCalls = 1_000

const width = 1000
const labelWidth = 270
const chartX = labelWidth + 14
const chartWidth = width - chartX - 150
const rowHeight = 22
const barHeight = 12
const legendHeight = 30
const axisHeight = 22
const top = legendHeight + axisHeight
const charWidth = 6.6

const known: Readonly<Record<string, string>> = {
  zoom: "#2d8cff",
  notion: "#44403c",
  slack: "#9d2f9f",
  ai: "#10a37f",
  stripe: "#635bff",
  gmail: "#e5483a"
}
const fallback = ["#e8871e", "#0e9aa7", "#c2185b", "#7a9e3b", "#8d6e63", "#5c6bc0"]

/** The colour of an integration's bars: its brand colour when known, a stable pick otherwise. */
export const colorOf = (integration: string): string => {
  const brand = known[integration]
  if (brand !== undefined) return brand
  let hash = 0
  for (const character of integration) hash = (hash * 31 + character.charCodeAt(0)) >>> 0
  return fallback[hash % fallback.length] ?? "#64748b"
}

type Row =
  | { readonly kind: "section"; readonly title: string }
  | { readonly kind: "step"; readonly step: RunReport.StepRecord }
  | { readonly kind: "call"; readonly call: RunReport.CallRecord }
  | { readonly kind: "more"; readonly count: number }

const byStart = <A extends { readonly startMs: number }>(items: ReadonlyArray<A>) =>
  [...items].sort((a, b) => a.startMs - b.startMs)

const rowsOf = (report: RunReport.RunReport): ReadonlyArray<Row> => {
  const steps = byStart(report.steps)
  const calls = byStart(report.calls)
  const hidden = calls.length - maxDrawnCalls + report.callsOmitted
  return [
    ...(steps.length === 0 ? [] : [{ kind: "section", title: "Steps" } as const]),
    ...steps.map((step) => ({ kind: "step", step }) as const),
    { kind: "section", title: `Calls (${calls.length + report.callsOmitted})` },
    ...calls.slice(0, maxDrawnCalls).map((call) => ({ kind: "call", call }) as const),
    ...(hidden > 0 ? [{ kind: "more", count: hidden } as const] : [])
  ]
}

/** The time the chart spans: the run, or its last bar if that ends later. */
const spanOf = (report: RunReport.RunReport): number =>
  Math.max(
    1,
    report.wallMs,
    ...report.calls.map((call) => call.startMs + call.durationMs),
    ...report.steps.map((step) => step.startMs + step.durationMs)
  )

const tickStep = (span: number): number => {
  const rough = span / 6
  const power = 10 ** Math.floor(Math.log10(rough))
  return ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power
}

const tickLabel = (ms: number): string =>
  ms === 0 ? "0" : ms < 1000 ? `${Number(ms.toFixed(1))} ms` : `${Number((ms / 1000).toFixed(2))} s`

const fixed = (value: number): string => String(Math.round(value * 10) / 10)

const truncate = (text: string, room: number): string => {
  const fits = Math.floor(room / charWidth)
  return text.length <= fits ? text : `${text.slice(0, Math.max(1, fits - 1))}…`
}

interface Scale {
  readonly x: (ms: number) => number
  readonly w: (ms: number) => number
}

const scaleOf = (span: number): Scale => ({
  x: (ms) => chartX + (Math.max(0, ms) / span) * chartWidth,
  w: (ms) => (Math.max(0, ms) / span) * chartWidth
})

/** Text right of a bar, or left of it when the bar reaches the right edge. */
const annotation = (start: number, end: number, y: number, parts: ReadonlyArray<string>) => {
  const length = parts.join(" ").replace(/<[^>]+>/g, "").length * charWidth
  const after = end + 6 + length <= width - 4
  const x = after ? end + 6 : Math.max(chartX, start - 6)
  const anchor = after ? "start" : "end"
  return `<text x="${fixed(x)}" y="${fixed(y)}" class="note" text-anchor="${anchor}">${parts.join(" ")}</text>`
}

const legend = (report: RunReport.RunReport): string => {
  const items: Array<{ readonly swatch: string; readonly label: string }> = [
    ...Object.keys(report.integrations).map((name) => ({
      swatch: `<rect width="14" height="10" rx="2" fill="${colorOf(name)}"/>`,
      label: name
    })),
    { swatch: `<rect width="14" height="10" rx="2" fill="#94a3b8"/>`, label: "step" },
    {
      swatch: `<rect width="14" height="10" fill="url(#ww-wait-limiter)"/>`,
      label: "rate-limit wait"
    },
    {
      swatch: `<rect width="14" height="10" fill="url(#ww-wait-permit)"/>`,
      label: "connection wait"
    },
    { swatch: `<text x="7" y="9" class="retry" text-anchor="middle">↻</text>`, label: "retried" },
    {
      swatch: `<text x="7" y="9" class="throttle" text-anchor="middle">429</text>`,
      label: "throttled"
    }
  ]
  let x = 12
  const drawn = items.map((item) => {
    const group =
      `<g transform="translate(${fixed(x)} 9)">${item.swatch}<text x="20" y="9.5" ` +
      `class="legend">${escapeHtml(item.label)}</text></g>`
    x += 20 + item.label.length * charWidth + 18
    return group
  })
  return `<g data-kind="legend">${drawn.join("")}</g>`
}

const axis = (span: number, scale: Scale, height: number): string => {
  const step = tickStep(span)
  const ticks: Array<string> = []
  for (let t = 0; t <= span + step / 1000; t += step) {
    const x = fixed(scale.x(t))
    ticks.push(
      `<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${height - 6}" class="grid"/>` +
        `<text x="${x}" y="${top - 8}" class="tick" text-anchor="middle">${tickLabel(t)}</text>`
    )
  }
  return `<g data-kind="axis">${ticks.join("")}</g>`
}

const stepRow = (step: RunReport.StepRecord, y: number, scale: Scale): string => {
  const start = scale.x(step.startMs)
  const barWidth = Math.max(1.5, scale.w(step.durationMs))
  const mid = y + rowHeight / 2
  const fill = step.outcome === "ok" ? "#94a3b8" : "#f87171"
  const title = `${step.name}: ${duration(step.durationMs)} from ${duration(step.startMs)} (${step.outcome})`
  return (
    `<g data-kind="step" data-name="${escapeHtml(step.name)}" data-start-ms="${step.startMs}" data-duration-ms="${step.durationMs}">` +
    `<title>${escapeHtml(title)}</title>` +
    `<text x="12" y="${fixed(mid + 4)}" class="label">${escapeHtml(truncate(step.name, labelWidth - 12))}</text>` +
    `<rect x="${fixed(start)}" y="${fixed(mid - barHeight / 2)}" width="${fixed(barWidth)}" height="${barHeight}" rx="2" fill="${fill}"/>` +
    annotation(start, start + barWidth, mid + 4, [escapeHtml(duration(step.durationMs))]) +
    `</g>`
  )
}

const callTitle = (call: RunReport.CallRecord): string =>
  [
    `${call.integration} ${call.call}: ${duration(call.durationMs)} from ${duration(call.startMs)}`,
    `${call.attempts} attempt${call.attempts === 1 ? "" : "s"}${call.throttled > 0 ? `, throttled ${call.throttled}×` : ""}`,
    `waited ${duration(call.waitLimiterMs)} on the rate limiter and ${duration(call.waitPermitMs)} for a connection`,
    `${call.outcome === "ok" ? "ok" : "failed"}${call.status === null ? "" : ` (HTTP ${call.status})`}`
  ].join("\n")

const callRow = (call: RunReport.CallRecord, y: number, scale: Scale): string => {
  const color = colorOf(call.integration)
  const mid = y + rowHeight / 2
  const barY = fixed(mid - barHeight / 2)
  const start = scale.x(call.startMs)
  const total = Math.max(1.5, scale.w(call.durationMs))
  const limiter = Math.min(scale.w(call.waitLimiterMs), total)
  const permit = Math.min(scale.w(call.waitPermitMs), total - limiter)
  const active = Math.max(total - limiter - permit, 1)
  const activeX = start + limiter + permit
  const retries = call.attempts - 1
  const notes = [
    escapeHtml(duration(call.durationMs)),
    ...(retries > 0 ? [`<tspan class="retry">↻${retries}</tspan>`] : []),
    ...(call.throttled > 0 ? [`<tspan class="throttle">429×${call.throttled}</tspan>`] : []),
    ...(call.outcome === "error"
      ? [`<tspan class="throttle">✕ ${call.status === null ? "failed" : call.status}</tspan>`]
      : [])
  ]
  const label = truncate(`${call.integration} ${call.call}`, labelWidth - 26)
  const name = label.slice(0, call.integration.length)
  const rest = label.slice(call.integration.length)
  return (
    `<g data-kind="call" data-integration="${escapeHtml(call.integration)}" data-call="${escapeHtml(call.call)}" data-start-ms="${call.startMs}" data-duration-ms="${call.durationMs}" data-attempts="${call.attempts}" data-throttled="${call.throttled}">` +
    `<title>${escapeHtml(callTitle(call))}</title>` +
    `<circle cx="16" cy="${fixed(mid)}" r="4" fill="${color}"/>` +
    `<text x="26" y="${fixed(mid + 4)}" class="label"><tspan fill="${color}" font-weight="600">${escapeHtml(name)}</tspan>${escapeHtml(rest)}</text>` +
    (limiter > 0
      ? `<rect data-part="wait-limiter" x="${fixed(start)}" y="${barY}" width="${fixed(limiter)}" ` +
        `height="${barHeight}" fill="url(#ww-wait-limiter)"/>`
      : "") +
    (permit > 0
      ? `<rect data-part="wait-permit" x="${fixed(start + limiter)}" y="${barY}" ` +
        `width="${fixed(permit)}" height="${barHeight}" fill="url(#ww-wait-permit)"/>`
      : "") +
    `<rect data-part="call" x="${fixed(activeX)}" y="${barY}" width="${fixed(active)}" height="${barHeight}" rx="2" fill="${color}"` +
    (call.outcome === "error" ? ` stroke="#b91c1c" stroke-width="2"` : "") +
    `/>` +
    annotation(start, activeX + active, mid + 4, notes) +
    `</g>`
  )
}

const rowOf = (row: Row, y: number, scale: Scale): string => {
  switch (row.kind) {
    case "section":
      return `<text x="12" y="${fixed(y + 15)}" class="section">${escapeHtml(row.title)}</text>`
    case "step":
      return stepRow(row.step, y, scale)
    case "call":
      return callRow(row.call, y, scale)
    case "more":
      return (
        `<text x="12" y="${fixed(y + 15)}" class="note">${row.count} more calls are not ` +
        `drawn; ?format=json lists up to 2,000 per run</text>`
      )
  }
}

const defs = `<defs>
<pattern id="ww-wait-limiter" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde68a"/><rect width="2.5" height="6" fill="#d97706"/></pattern>
<pattern id="ww-wait-permit" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="#e2e8f0"/><circle cx="2.5" cy="2.5" r="1.2" fill="#64748b"/></pattern>
<style>
text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: #0f172a; }
.label { font-size: 12px; }
.section { font-size: 12px; font-weight: 700; fill: #334155; }
.legend { font-size: 11px; fill: #334155; }
.tick { font-size: 10px; fill: #64748b; }
.note { font-size: 11px; fill: #475569; }
.retry { font-size: 11px; font-weight: 700; fill: #b45309; }
.throttle { font-size: 10px; font-weight: 700; fill: #b91c1c; }
.grid { stroke: #e2e8f0; stroke-width: 1; }
.band { fill: #f8fafc; }
</style>
</defs>`

/**
 * A run as a waterfall in SVG: one bar per step, then one bar per integration call from its
 * start for its duration, in the integration's colour, with the time it waited for the rate
 * limiter (hatched) and for a connection (dotted) shaded at the start of the bar, and its
 * retries and throttled responses marked beside it.
 *
 * **Note**: a call records how long it waited in total, not when; the waits are drawn at the
 * start of the bar although a retried call may have waited between attempts.
 */
export const render = (report: RunReport.RunReport): string => {
  const rows = rowsOf(report)
  const height = top + rows.length * rowHeight + 12
  const span = spanOf(report)
  const scale = scaleOf(span)
  const bands = rows
    .map((row, index) =>
      row.kind === "call" && index % 2 === 0
        ? `<rect x="0" y="${top + index * rowHeight}" width="${width}" height="${rowHeight}" class="band"/>`
        : ""
    )
    .join("")
  const body = rows.map((row, index) => rowOf(row, top + index * rowHeight, scale)).join("\n")
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`Waterfall of run ${report.runId}`)}" data-run-id="${escapeHtml(report.runId)}" data-span-ms="${span}">` +
    `\n${defs}\n${bands}\n${axis(span, scale, height)}\n${legend(report)}\n${body}\n</svg>`
  )
}
