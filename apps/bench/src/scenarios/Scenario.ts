import type { ClientName } from "../Job"
import type { Params } from "../Params"
import type { Check, Report, Result } from "../Result"

/** One scenario of the bench. */
export interface Scenario {
  readonly name: string
  readonly run: (params: Params, clients: ReadonlyArray<ClientName>) => Promise<Report>
}

/** workway's row of a scenario, if it ran. */
export const workwayOf = (results: ReadonlyArray<Result>): Result | undefined =>
  results.find((result) => result.client === "workway")

/** A target check; none when workway did not run. */
export const check = (
  row: Result | undefined,
  target: string,
  measure: (row: Result) => { readonly actual: string; readonly met: boolean }
): ReadonlyArray<Check> => (row === undefined ? [] : [{ target, ...measure(row) }])

/** A percentage with no decimals. */
export const percent = (share: number): string => `${Math.round(share * 100)}%`

/**
 * Runs each client in turn; a client whose process fails is left out of the results and named
 * in `failures`, so that one broken client does not cost the rest of the run.
 */
export const eachClient = async <A>(
  clients: ReadonlyArray<ClientName>,
  run: (client: ClientName) => Promise<A>
): Promise<{ readonly rows: ReadonlyArray<A>; readonly failures: ReadonlyArray<string> }> => {
  const rows: Array<A> = []
  const failures: Array<string> = []
  for (const client of clients) {
    try {
      rows.push(await run(client))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      process.stderr.write(`${client}: ${message}\n`)
      failures.push(`${client} did not finish: ${message.split("\n")[0]}`)
    }
  }
  return { rows, failures }
}
