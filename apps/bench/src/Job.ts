/**
 * What the harness asks a client process to do, and what that process answers. Both cross a
 * process boundary as JSON, so they hold plain data only.
 */

/** The names of the clients under comparison, in the order tables list them. */
export const clientNames = [
  "naive",
  "chunks",
  "limit3",
  "p-queue",
  "bottleneck",
  "workway"
] as const

/** One of the clients under comparison. */
export type ClientName = (typeof clientNames)[number]

/** A documented rate limit, as every client is told it: requests a second and the burst. */
export interface RateLimit {
  readonly rate: number
  readonly burst: number
}

/** Time constants every client of a run shares. */
export interface Timing {
  /**
   * Bench seconds per vendor second. The bench runs the vendor faster than life (30 requests a
   * second for Notion's 3), so the constants written by hand for the real vendor (a 1 s pause
   * between chunks, a 1 s backoff) are multiplied by it. Counts are not scaled.
   */
  readonly scale: number
  /** Per-attempt timeout of every request (ms). */
  readonly timeoutMs: number
}

/** Where the vendor is and how to authenticate to it. */
export interface Target {
  /** Origin of the loopback fake, e.g. `http://127.0.0.1:53124`. */
  readonly origin: string
  readonly token: string
  readonly version: string
}

interface JobBase {
  readonly client: ClientName
  readonly target: Target
  readonly limit: RateLimit
  readonly timing: Timing
}

/** Create one page per key under a parent page; the key is the page's title. */
export interface CreateJob extends JobBase {
  readonly kind: "create"
  readonly parentPageId: string
  readonly keys: ReadonlyArray<string>
  /** Origin of a shared limit store; workway paces through it instead of its own memory. */
  readonly store?: string | undefined
}

/** Look Notion users up by id, in this order (ids repeat). */
export interface LookupJob extends JobBase {
  readonly kind: "lookup"
  readonly ids: ReadonlyArray<string>
}

/** Read every child block of a block, page after page. */
export interface PaginateJob extends JobBase {
  readonly kind: "paginate"
  readonly blockId: string
  readonly pageSize: number
  /** Keep every record in memory (the baselines' way) instead of streaming them. */
  readonly collect: boolean
}

/** Create pages against an in-process upstream answering at once, to count CPU per call. */
export interface OverheadJob {
  readonly kind: "overhead"
  readonly client: ClientName
  readonly calls: number
  readonly warmup: number
  /**
   * workway's client only: send the same requests through @effect/platform's `HttpClient` alone,
   * without the pipeline, to show what the HTTP client costs by itself.
   */
  readonly bare?: boolean
}

/** Anything a client process can be asked to do. */
export type Job = CreateJob | LookupJob | PaginateJob | OverheadJob

/** What a client counted on its side; the vendor's own counts come from the fake. */
export interface Counts {
  /** Items that ended in success. */
  readonly completed: number
  /** Items that ended in an error after the client's retries. */
  readonly failed: number
  /** Records read (pagination). */
  readonly records?: number | undefined
}

/** What a client process answers after its job. */
export interface Outcome extends Counts {
  /** `Date.now()` when the job started and ended, comparable across processes of one host. */
  readonly startedAt: number
  readonly finishedAt: number
  /** CPU (user + system) the process spent on the job (µs). */
  readonly cpuUs: number
  /** Resident set size when the job started, and the most it reached during it (MB). */
  readonly rssStartMb: number
  readonly rssPeakMb: number
  /** Heap in use when the job started, and the most in use right after a full collection (MB). */
  readonly heapStartMb: number
  readonly liveHeapPeakMb: number
}

/** Messages from a client process to the harness. */
export type FromChild =
  | { readonly type: "ready" }
  | { readonly type: "done"; readonly outcome: Outcome }
  | { readonly type: "error"; readonly message: string }

/** Messages from the harness to a client process. */
export type ToChild = { readonly type: "job"; readonly job: Job } | { readonly type: "go" }
