import { parseArgs } from "node:util"
import { type ClientName, clientNames } from "./Job"

/** What the command line asked for. */
export interface Args {
  /** Scenarios to run, all when none is named. */
  readonly scenarios: ReadonlyArray<string>
  readonly clients: ReadonlyArray<ClientName>
  readonly quick: boolean
  /** Where to write the JSON of the run, if anywhere. */
  readonly json: string | undefined
  /** Where to write the charts. */
  readonly svgDir: string
}

/** Usage, printed on `--help` and after a bad argument. */
export const usage = `Usage: npm run bench -- [options]

  --scenario <name>   run one scenario (repeatable): steady, misconfigured, multi-process,
                      lookups, pagination, overhead, chaos. All when absent.
  --client <name>     run one client (repeatable): ${clientNames.join(", ")}. All when absent.
  --json <file>       also write the results as JSON (one scenario: an object; several: an array)
  --svg-dir <dir>     where the charts go (default apps/bench/results)
  --quick             tiny sizes, for a smoke run
  --help              this text
`

/** Parses the command line; throws with a readable message on a bad argument. */
export const parse = (
  argv: ReadonlyArray<string>,
  scenarioNames: ReadonlyArray<string>,
  defaultSvgDir: string
): Args | "help" => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: "string", multiple: true },
      client: { type: "string", multiple: true },
      json: { type: "string" },
      "svg-dir": { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", default: false }
    },
    strict: true,
    allowPositionals: false
  })
  if (values.help) return "help"
  const scenarios = (values.scenario ?? []).flatMap((s) => s.split(","))
  for (const scenario of scenarios) {
    if (!scenarioNames.includes(scenario)) throw new Error(`unknown scenario "${scenario}"`)
  }
  const named = (values.client ?? []).flatMap((c) => c.split(","))
  for (const client of named) {
    if (!(clientNames as ReadonlyArray<string>).includes(client))
      throw new Error(`unknown client "${client}"`)
  }
  return {
    scenarios: scenarios.length === 0 ? scenarioNames : scenarios,
    clients: named.length === 0 ? clientNames : clientNames.filter((c) => named.includes(c)),
    quick: values.quick,
    json: values.json,
    svgDir: values["svg-dir"] ?? defaultSvgDir
  }
}
