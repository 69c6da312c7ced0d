import type { ClientName } from "./Job"

/** One client's row of a scenario; a field that does not apply to the scenario is null. */
export interface Result {
  readonly client: ClientName | "workway-collect" | "limit3-count" | "effect-http"
  readonly wallMs: number
  /** The least time the work can take at the real limit (and the fastest latency). */
  readonly floorMs: number | null
  /** `wallMs / floorMs`. */
  readonly ratio: number | null
  /** Requests the fake received, retries included. */
  readonly requests: number | null
  /** 429s the fake answered (injected ones included). */
  readonly throttled: number | null
  /** Items the client gave up on. */
  readonly failed: number | null
  /** Pages beyond the first for an item key. */
  readonly duplicates: number | null
  /** Item keys with no page. */
  readonly lost: number | null
  readonly cpuUsPerCall: number | null
  /** The largest resident set of the client process during the run (MB). */
  readonly peakRssMb: number | null
  /** `peakRssMb` less the resident set when the run started (MB). */
  readonly rssGrowthMb: number | null
  /** Growth of the heap in use right after full collections: memory held alive (MB). */
  readonly liveHeapGrowthMb: number | null
  /** Items the client completed. */
  readonly completed: number | null
  /** Records read (pagination). */
  readonly records: number | null
  /** Distinct calls that reached the vendor: requests less the 429s retried (lookups). */
  readonly calls: number | null
  /** The least time of the completed items over the wall time: the share of the limit used. */
  readonly utilisation: number | null
}

/** A row with every optional field null. */
export const empty = (client: Result["client"], wallMs: number): Result => ({
  client,
  wallMs,
  floorMs: null,
  ratio: null,
  requests: null,
  throttled: null,
  failed: null,
  duplicates: null,
  lost: null,
  cpuUsPerCall: null,
  peakRssMb: null,
  rssGrowthMb: null,
  liveHeapGrowthMb: null,
  completed: null,
  records: null,
  calls: null,
  utilisation: null
})

/** Accepted requests per second of one client's run, for the charts. */
export interface Series {
  readonly client: Result["client"]
  readonly perSecond: ReadonlyArray<number>
}

/** Whether workway met one of its targets. */
export interface Check {
  readonly target: string
  readonly actual: string
  readonly met: boolean
}

/** Everything one scenario produced. */
export interface Report {
  readonly scenario: string
  readonly title: string
  readonly params: Readonly<Record<string, unknown>>
  readonly results: ReadonlyArray<Result>
  /** Columns of the printed table, by field. */
  readonly columns: ReadonlyArray<keyof Result>
  readonly checks: ReadonlyArray<Check>
  /** Per-client accepted requests per second, and the real limit, for rate scenarios. */
  readonly chart?: { readonly limit: number; readonly series: ReadonlyArray<Series> } | undefined
  /** Remarks printed under the table. */
  readonly notes: ReadonlyArray<string>
}

/** Rounds to one decimal. */
export const round1 = (value: number): number => Math.round(value * 10) / 10

/** Rounds to two decimals. */
export const round2 = (value: number): number => Math.round(value * 100) / 100
