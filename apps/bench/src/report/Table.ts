import { type Report, type Result, round2 } from "../Result"

type Column = Report["columns"][number]

const headers: Readonly<Record<Column, string>> = {
  client: "client",
  wallMs: "wall s",
  floorMs: "floor s",
  ratio: "wall / floor",
  requests: "requests",
  throttled: "throttled",
  failed: "failed",
  duplicates: "duplicates",
  lost: "lost",
  cpuUsPerCall: "CPU µs / call",
  peakRssMb: "peak RSS MB",
  rssGrowthMb: "RSS growth MB",
  liveHeapGrowthMb: "live heap growth MB",
  completed: "completed",
  records: "records",
  calls: "calls",
  utilisation: "utilisation"
}

const seconds = (ms: number | null) => (ms === null ? "" : (ms / 1000).toFixed(2))

const cell = (row: Result, column: Column): string => {
  if (column === "utilisation") {
    return row.utilisation === null ? "–" : `${Math.round(row.utilisation * 100)}%`
  }
  if (column === "wallMs" || column === "floorMs") return seconds(row[column])
  const value = row[column]
  if (value === null) return "–"
  return typeof value === "number" ? String(round2(value)) : value
}

/** A scenario's results as a markdown table, workway's targets and the notes below it. */
export const render = (report: Report): string => {
  const columns: ReadonlyArray<Column> = ["client", ...report.columns]
  const lines = [
    `### ${report.title}`,
    "",
    `| ${columns.map((column) => headers[column]).join(" | ")} |`,
    `| ${columns.map((column) => (column === "client" ? "---" : "---:")).join(" | ")} |`,
    ...report.results.map((row) => `| ${columns.map((column) => cell(row, column)).join(" | ")} |`)
  ]
  if (report.checks.length > 0) {
    lines.push(
      "",
      `workway targets: ${report.checks
        .map((c) => `${c.target}: ${c.actual} — ${c.met ? "met" : "MISSED"}`)
        .join("; ")}`
    )
  }
  for (const note of report.notes) lines.push("", `_${note}_`)
  return `${lines.join("\n")}\n`
}
