import { DurableObject } from "cloudflare:workers"
import * as Bucket from "@workway/http/Bucket"
import type { Limit } from "@workway/http/Limit"
import { Duration } from "effect"

/** One limit of a reservation as sent to the store: plain data that survives RPC. */
export interface WireUse {
  readonly key: string
  readonly rate: number
  readonly perMillis: number
  readonly burst: number
  readonly cost: number
}

/** Reserve `count` successive units on every key, none later than `horizonMillis` after the first. */
export interface ReserveRequest {
  readonly uses: ReadonlyArray<WireUse>
  readonly count: number
  readonly horizonMillis: number
}

/** The store's clock when it answered, and the moments granted, ascending (store clock, ms). */
export interface ReserveResponse {
  readonly now: number
  readonly slots: ReadonlyArray<number>
}

/**
 * Pause the keys for `pauseMillis` after a throttle signal. `accepted[i]`, when given, is how many
 * units on the key of `uses[i]` the vendor accepted, as the caller saw, since its last signal.
 */
export interface ThrottleRequest {
  readonly uses: ReadonlyArray<WireUse>
  readonly pauseMillis: number
  readonly accepted?: ReadonlyArray<number> | undefined
}

/** Most units one reservation may take: bounds the work of a single call. */
export const maxCount = 64

/** Writes between two sweeps of idle buckets. */
const sweepEvery = 512

interface BucketRow extends Record<string, SqlStorageValue> {
  readonly tat: number
  readonly factor: number
  readonly paused_until: number
  readonly adjusted_at: number
  readonly ceiling: number
  readonly run: number
  readonly last_run: number
  readonly last_factor: number
  readonly signals: number
}

/**
 * Columns added after the table was first made, with the value that keeps an older row's
 * meaning: no ceiling, and no run to weigh the next one against.
 */
const addedColumns: ReadonlyArray<readonly [name: string, type: string]> = [
  ["ceiling", "REAL NOT NULL DEFAULT 1"],
  ["run", "REAL NOT NULL DEFAULT 0"],
  ["last_run", "REAL NOT NULL DEFAULT 0"],
  ["last_factor", "REAL NOT NULL DEFAULT 0"],
  ["signals", "REAL NOT NULL DEFAULT 0"]
]

/** A count a caller reported, or 0 when it is not a finite count. */
const unitsOf = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0

const validUse = (use: WireUse): boolean =>
  typeof use.key === "string" &&
  use.key.length > 0 &&
  Number.isFinite(use.rate) &&
  use.rate > 0 &&
  Number.isFinite(use.perMillis) &&
  use.perMillis > 0 &&
  Number.isFinite(use.burst) &&
  use.burst >= 1 &&
  Number.isFinite(use.cost) &&
  use.cost >= 0

const validUses = (uses: ReadonlyArray<WireUse>): void => {
  if (!Array.isArray(uses) || uses.length === 0 || !uses.every(validUse)) {
    throw new TypeError(
      "A rate-limit reservation needs one or more uses with a key, a positive rate and period, a " +
        "burst of at least 1 and a cost of 0 or more"
    )
  }
}

const limitOf = (use: WireUse): Limit => ({
  rate: use.rate,
  per: Duration.millis(use.perMillis),
  burst: use.burst
})

/**
 * The rate-limit buckets of one vendor account, shared by every isolate of a deployment. Callers
 * address it by name (`idFromName("notion:<account>")`) and call its methods over RPC. It computes
 * exactly what `Bucket.reserve` and `Bucket.throttle` compute, on its own clock, so the isolates
 * never disagree about time. Bucket states are cached in memory (the object is single-threaded)
 * and written to its SQLite storage, so an eviction does not reset a limit.
 *
 * Export it from the Worker's main module and bind it with a `new_sqlite_classes` migration.
 *
 * @example
 * ```ts
 * export { RateLimitStore } from "@workway/worker"
 * ```
 */
export class RateLimitStore extends DurableObject {
  readonly #buckets = new Map<string, Bucket.BucketState>()
  #writes = 0

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS bucket (
        key TEXT PRIMARY KEY,
        tat REAL NOT NULL,
        factor REAL NOT NULL,
        paused_until REAL NOT NULL,
        adjusted_at REAL NOT NULL,
        idle_at REAL NOT NULL,
        ${addedColumns.map(([name, type]) => `${name} ${type}`).join(",\n        ")}
      )`
    )
    // Tables made by an earlier version gain the columns added since.
    const columns = ctx.storage.sql.exec<{ name: string }>("PRAGMA table_info(bucket)").toArray()
    for (const [name, type] of addedColumns) {
      if (!columns.some((column) => column.name === name)) {
        ctx.storage.sql.exec(`ALTER TABLE bucket ADD COLUMN ${name} ${type}`)
      }
    }
  }

  /**
   * Reserves up to `count` successive units on every key of the request at the earliest moments
   * all keys allow, stopping before a unit that would come later than `horizonMillis` after the
   * first. Always grants at least one unit; every unit granted is charged, used or not.
   */
  reserve(request: ReserveRequest): ReserveResponse {
    validUses(request.uses)
    const count = Math.max(1, Math.min(maxCount, Math.floor(request.count) || 1))
    const horizon = Math.max(0, Number(request.horizonMillis) || 0)
    const now = Date.now()
    const limits = request.uses.map(limitOf)
    let states = request.uses.map((use) => this.#state(use.key, now))
    const slots: Array<number> = []
    while (slots.length < count) {
      const claims = request.uses.map((use, i) => ({
        limit: limits[i]!,
        cost: use.cost,
        state: states[i]!
      }))
      const next = Bucket.reserve(claims, now)
      const first = slots[0]
      if (first !== undefined && next.at > first + horizon) break
      slots.push(next.at)
      states = [...next.states]
    }
    request.uses.forEach((use, i) => this.#save(use.key, states[i]!, now))
    return { now, slots }
  }

  /**
   * Applies a throttle signal to every key: nothing is granted for `pauseMillis`, then units flow
   * at a lowered rate that recovers over time. Answers the store's clock.
   */
  throttled(request: ThrottleRequest): number {
    validUses(request.uses)
    const pause = Math.max(0, Number(request.pauseMillis) || 0)
    const now = Date.now()
    const accepted = Array.isArray(request.accepted) ? request.accepted : []
    request.uses.forEach((use, i) => {
      const state = Bucket.accept(this.#state(use.key, now), unitsOf(accepted[i]))
      this.#save(use.key, Bucket.throttle(state, now, now + pause), now)
    })
    return now
  }

  #state(key: string, now: number): Bucket.BucketState {
    const cached = this.#buckets.get(key)
    if (cached !== undefined) return cached
    const row = this.ctx.storage.sql
      .exec<BucketRow>(
        `SELECT tat, factor, paused_until, adjusted_at, ceiling, run, last_run, last_factor,
           signals FROM bucket WHERE key = ?`,
        key
      )
      .toArray()[0]
    const state =
      row === undefined
        ? Bucket.initial(now)
        : {
            tat: row.tat,
            factor: row.factor,
            pausedUntil: row.paused_until,
            adjustedAt: row.adjusted_at,
            ceiling: row.ceiling,
            run: row.run,
            lastRun: row.last_run,
            lastFactor: row.last_factor,
            signals: row.signals
          }
    this.#buckets.set(key, state)
    return state
  }

  #save(key: string, state: Bucket.BucketState, now: number): void {
    this.#buckets.set(key, state)
    this.ctx.storage.sql.exec(
      `INSERT INTO bucket (key, tat, factor, paused_until, adjusted_at, ceiling, run, last_run,
         last_factor, signals, idle_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tat = excluded.tat, factor = excluded.factor,
         paused_until = excluded.paused_until, adjusted_at = excluded.adjusted_at,
         ceiling = excluded.ceiling, run = excluded.run, last_run = excluded.last_run,
         last_factor = excluded.last_factor, signals = excluded.signals,
         idle_at = excluded.idle_at`,
      key,
      state.tat,
      state.factor,
      state.pausedUntil,
      state.adjustedAt,
      state.ceiling,
      state.run,
      state.lastRun,
      state.lastFactor,
      state.signals,
      Bucket.idleAt(state)
    )
    this.#writes++
    if (this.#writes % sweepEvery === 0) this.#sweep(now)
  }

  /** Forgets buckets that have been idle long enough to equal fresh ones, in memory and storage. */
  #sweep(now: number): void {
    this.ctx.storage.sql.exec("DELETE FROM bucket WHERE idle_at <= ?", now)
    for (const [key, state] of this.#buckets) {
      if (Bucket.idleAt(state) <= now) this.#buckets.delete(key)
    }
  }
}
