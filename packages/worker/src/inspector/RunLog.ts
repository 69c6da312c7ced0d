import type { RunReport, Workflow } from "@workway/core"

/** One execution as the inspector keeps it: its report, and what went wrong if it failed. */
export interface RecordedRun {
  readonly report: RunReport.RunReport
  readonly success: boolean
  readonly error?: { readonly type: string; readonly message: string }
}

/**
 * The recent runs of one isolate, newest first, bounded by a number of runs and by the number
 * of call records they hold together.
 */
export interface RunLog {
  readonly record: (execution: Workflow.Execution<unknown, unknown>) => void
  readonly list: () => ReadonlyArray<RecordedRun>
  readonly find: (runId: string) => RecordedRun | undefined
}

/** How much a run log keeps. */
export interface Capacity {
  /** Runs kept (default 50). */
  readonly runs?: number
  /** Call records kept across all runs (default 10,000); the oldest runs go first. */
  readonly calls?: number
}

/** The type and message of a typed workflow failure, whatever its shape. */
export const describeError = (error: unknown): { type: string; message: string } => {
  if (typeof error !== "object" || error === null) return { type: "Error", message: String(error) }
  const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : "Error"
  const message =
    "message" in error && typeof error.message === "string" && error.message !== ""
      ? error.message
      : tag
  return { type: tag, message }
}

const recorded = (execution: Workflow.Execution<unknown, unknown>): RecordedRun =>
  execution.success
    ? { report: execution.report, success: true }
    : { report: execution.report, success: false, error: describeError(execution.error) }

/** A run log holding at most `capacity` runs and call records. */
export const make = (capacity: Capacity = {}): RunLog => {
  const maxRuns = Math.max(1, capacity.runs ?? 50)
  const maxCalls = Math.max(0, capacity.calls ?? 10_000)
  const runs: Array<RecordedRun> = []
  let calls = 0

  const evict = () => {
    while (runs.length > maxRuns || (calls > maxCalls && runs.length > 1)) {
      const oldest = runs.shift()
      calls -= oldest?.report.calls.length ?? 0
    }
  }

  return {
    record: (execution) => {
      runs.push(recorded(execution))
      calls += execution.report.calls.length
      evict()
    },
    list: () => [...runs].reverse(),
    find: (runId) => runs.find((run) => run.report.runId === runId)
  }
}
