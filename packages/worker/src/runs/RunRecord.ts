/** A long run's durable record, kept by its Durable Object. */
export interface RunRecord {
  readonly runId: string
  readonly trigger: unknown
  status: "running" | "succeeded" | "failed"
  /** Invocations (segments) that ran, each within its own subrequest budget. */
  segments: number
  /** Segments that died before finishing (a crash, an eviction) and were resumed. */
  interrupted: number
  /** Segments in a row that failed transiently and were retried after a pause. */
  retries?: number
  /** Whether a segment is under way; a segment that finds this set resumes after a crash. */
  inSegment: boolean
  readonly startedAt: number
  updatedAt: number
  /** Summed over segments. */
  totals: {
    calls: number
    requests: number
    throttled: number
    waitLimiterMs: number
    waitPermitMs: number
  }
  result?: unknown
  error?: unknown
}
