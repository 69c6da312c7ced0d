import { DurableObject } from "cloudflare:workers"
import { numberIn } from "./internal/number"

/** Shortest gap between two sweeps of expired entries, so many expiries share one alarm. */
const sweepGapMillis = 1000

interface EntryRow extends Record<string, SqlStorageValue> {
  readonly value: string
  readonly expires_at: number | null
}

const expiryOf = (now: number, ttlMillis: number | undefined): number | null => {
  if (ttlMillis === undefined || ttlMillis === null) return null
  if (typeof ttlMillis !== "number" || Number.isNaN(ttlMillis)) {
    throw new TypeError(`A time-to-live must be a number of milliseconds, got ${String(ttlMillis)}`)
  }
  return ttlMillis === Number.POSITIVE_INFINITY ? null : now + ttlMillis
}

const validKey = (key: string): void => {
  if (typeof key !== "string" || key.length === 0) {
    throw new TypeError("A state key must be a non-empty string")
  }
}

/**
 * Strongly consistent key-value state: checkpoints, idempotency markers, counters. Values are
 * JSON text, optionally with a time-to-live; an expired entry reads as absent at once and is
 * removed on that read or by a sweep the object schedules with an alarm. `setIfAbsent` and
 * `increment` are atomic: the object runs one call at a time and answers only once the write is
 * durable.
 *
 * Export it from the Worker's main module and bind it with a `new_sqlite_classes` migration.
 *
 * @example
 * ```ts
 * export { StateStore } from "@workway/worker"
 * ```
 */
export class StateStore extends DurableObject {
  /** The alarm as last scheduled; `undefined` until read from storage. */
  #alarm: number | null | undefined = undefined

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env)
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS entry (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        expires_at REAL
      )`
    )
    ctx.storage.sql.exec(
      "CREATE INDEX IF NOT EXISTS entry_expiry ON entry (expires_at) WHERE expires_at IS NOT NULL"
    )
  }

  /** The value under `key`, or `null` when absent or expired. */
  get(key: string): string | null {
    validKey(key)
    return this.#live(key, Date.now())?.value ?? null
  }

  /** Writes `value` under `key`, living `ttlMillis` when given, else until deleted. */
  async set(key: string, value: string, ttlMillis?: number): Promise<void> {
    validKey(key)
    const expiresAt = expiryOf(Date.now(), ttlMillis)
    this.#write(key, String(value), expiresAt)
    await this.#schedule(expiresAt)
  }

  /** Removes `key`; answers whether a live value was there. */
  delete(key: string): boolean {
    validKey(key)
    const present = this.#live(key, Date.now()) !== undefined
    this.ctx.storage.sql.exec("DELETE FROM entry WHERE key = ?", key)
    return present
  }

  /**
   * Writes `value` under `key` only when no live value is there. Answers `true` for the one caller
   * that wrote it, `false` for every other: a done-marker or a webhook event id seen before.
   */
  async setIfAbsent(key: string, value: string, ttlMillis?: number): Promise<boolean> {
    validKey(key)
    const now = Date.now()
    if (this.#live(key, now) !== undefined) return false
    const expiresAt = expiryOf(now, ttlMillis)
    this.#write(key, String(value), expiresAt)
    await this.#schedule(expiresAt)
    return true
  }

  /**
   * Adds `by` to the number under `key` (0 when absent or expired) and answers the sum. A new
   * counter lives `ttlMillis` when given; an existing one keeps its expiry. Fails when the key
   * holds something other than a JSON number.
   */
  async increment(key: string, by = 1, ttlMillis?: number): Promise<number> {
    validKey(key)
    if (typeof by !== "number" || !Number.isFinite(by)) {
      throw new TypeError(`An increment must be a finite number, got ${String(by)}`)
    }
    const now = Date.now()
    const row = this.#live(key, now)
    const current = row === undefined ? 0 : numberIn(row.value)
    if (current === undefined) {
      throw new TypeError(`"${key}" holds ${row?.value}, not a number; it cannot be incremented`)
    }
    const sum = current + by
    const expiresAt = row === undefined ? expiryOf(now, ttlMillis) : row.expires_at
    this.#write(key, JSON.stringify(sum), expiresAt)
    if (row === undefined) await this.#schedule(expiresAt)
    return sum
  }

  /** Removes every expired entry and schedules the next sweep. */
  override async alarm(): Promise<void> {
    const now = Date.now()
    this.ctx.storage.sql.exec("DELETE FROM entry WHERE expires_at <= ?", now)
    const next = this.ctx.storage.sql
      .exec<{ next: number | null }>("SELECT MIN(expires_at) AS next FROM entry")
      .one().next
    this.#alarm = null
    if (next !== null) {
      const at = Math.max(next, now + sweepGapMillis)
      await this.ctx.storage.setAlarm(at)
      this.#alarm = at
    }
  }

  /** The entry under `key` if it has not expired; an expired one is deleted on the way. */
  #live(key: string, now: number): EntryRow | undefined {
    const row = this.ctx.storage.sql
      .exec<EntryRow>("SELECT value, expires_at FROM entry WHERE key = ?", key)
      .toArray()[0]
    if (row === undefined) return undefined
    if (row.expires_at !== null && row.expires_at <= now) {
      this.ctx.storage.sql.exec("DELETE FROM entry WHERE key = ?", key)
      return undefined
    }
    return row
  }

  #write(key: string, value: string, expiresAt: number | null): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO entry (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      key,
      value,
      expiresAt
    )
  }

  /** Makes sure a sweep is due no later than `expiresAt`. */
  async #schedule(expiresAt: number | null): Promise<void> {
    if (expiresAt === null) return
    if (this.#alarm === undefined) this.#alarm = await this.ctx.storage.getAlarm()
    if (this.#alarm !== null && this.#alarm <= expiresAt) return
    this.#alarm = expiresAt
    await this.ctx.storage.setAlarm(expiresAt)
  }
}
