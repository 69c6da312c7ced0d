import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import * as Args from "./Args"
import { full, quick } from "./Params"
import type { Report } from "./Result"
import * as Chart from "./report/Chart"
import * as Table from "./report/Table"
import { chaos } from "./scenarios/chaos"
import { independent } from "./scenarios/independent"
import { lookups } from "./scenarios/lookups"
import { misconfigured } from "./scenarios/misconfigured"
import { multiProcess } from "./scenarios/multiProcess"
import { overhead } from "./scenarios/overhead"
import { pagination } from "./scenarios/pagination"
import type { Scenario } from "./scenarios/Scenario"
import { steady } from "./scenarios/steady"

const scenarios: ReadonlyArray<Scenario> = [
  steady,
  misconfigured,
  multiProcess,
  lookups,
  pagination,
  overhead,
  chaos,
  independent
]

const resultsDir = fileURLToPath(new URL("../results", import.meta.url))

/** What the JSON file holds for one scenario. */
const toJson = (report: Report) => ({
  scenario: report.scenario,
  params: report.params,
  results: report.results,
  targets: report.checks
})

const main = async () => {
  let args: Args.Args | "help"
  try {
    args = Args.parse(
      process.argv.slice(2),
      scenarios.map((s) => s.name),
      resultsDir
    )
  } catch (error) {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n\n${Args.usage}`
    )
    process.exitCode = 2
    return
  }
  if (args === "help") {
    process.stdout.write(Args.usage)
    return
  }
  const params = args.quick ? quick : full
  const reports: Array<Report> = []
  const started = Date.now()
  for (const name of args.scenarios) {
    const scenario = scenarios.find((s) => s.name === name)!
    process.stderr.write(`running ${name} (${args.clients.join(", ")})...\n`)
    const report = await scenario.run(params, args.clients)
    reports.push(report)
    process.stdout.write(`${Table.render(report)}\n`)
    const svg = Chart.render(report)
    if (svg !== undefined) {
      mkdirSync(args.svgDir, { recursive: true })
      const file = join(args.svgDir, `${report.scenario}.svg`)
      writeFileSync(file, svg)
      process.stdout.write(`chart: ${file}\n\n`)
    }
  }
  if (args.json !== undefined) {
    const body = reports.length === 1 ? toJson(reports[0]!) : reports.map(toJson)
    writeFileSync(args.json, `${JSON.stringify(body, null, 2)}\n`)
  }
  process.stderr.write(`done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

await main()
