import { Clock, Effect, Option, Schema, Stream } from "effect"
import type { StorageError } from "./Errors"
import { RunRecorder } from "./RunReport"
import { Storage } from "./Storage"

/** Where a checkpointed iteration stands, as saved after each page or group of items. */
export const Position = Schema.Struct({
  /** Cursor of the next page to read; `null` before the first page. */
  cursor: Schema.NullOr(Schema.String),
  /** Items completed so far, over every invocation of the run. */
  done: Schema.Number,
  /** Items expected in all, when the caller knows. */
  total: Schema.NullOr(Schema.Number),
  finished: Schema.Boolean,
  startedAt: Schema.Number,
  updatedAt: Schema.Number
})
export type Position = typeof Position.Type

/** One page of a list, with the cursor of the page after it (absent on the last page). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextCursor: string | null | undefined
}

/** Options of a checkpointed iteration. */
export interface Options {
  /** Items of one page (or group) handled at once. */
  readonly concurrency?: number
  /** Items expected in all, for the ETA. */
  readonly total?: number
}

/** Progress derived from a position: rate in items per second, ETA in milliseconds. */
export interface Progress extends Position {
  readonly rate: number
  readonly etaMs: number | null
}

/** Progress of a position at `now`. */
export const progressOf = (position: Position, now: number): Progress => {
  const elapsed = Math.max(1, now - position.startedAt)
  const rate = (position.done * 1000) / elapsed
  const left = position.total === null ? null : Math.max(0, position.total - position.done)
  return {
    ...position,
    rate: Math.round(rate * 100) / 100,
    etaMs: left === null || rate === 0 ? null : Math.round((left / rate) * 1000)
  }
}

const keyOf = (runId: string, name: string) => `checkpoint:${runId}:${name}`

const runIdOf = Effect.map(Effect.serviceOption(RunRecorder), (recorder) =>
  Option.match(recorder, { onNone: () => "standalone", onSome: (r) => r.runId })
)

/** The saved position of an iteration of the current run, if any. */
export const load = (name: string): Effect.Effect<Option.Option<Position>, StorageError, Storage> =>
  Effect.gen(function* () {
    const storage = yield* Storage
    return yield* storage.get(keyOf(yield* runIdOf, name), Position)
  })

const save = (name: string, position: Position) =>
  Effect.gen(function* () {
    const storage = yield* Storage
    const runId = yield* runIdOf
    yield* storage.set(keyOf(runId, name), Position, position, { ttl: "30 days" })
    const progress = progressOf(position, position.updatedAt)
    yield* Effect.logInfo(position.finished ? "iteration finished" : "checkpoint saved").pipe(
      Effect.annotateLogs({
        iteration: name,
        runId,
        done: progress.done,
        ratePerSecond: progress.rate,
        ...(progress.etaMs === null ? {} : { etaMs: progress.etaMs })
      })
    )
  })

const start = (name: string, options: Options) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const saved = yield* load(name)
    return Option.getOrElse(saved, () => ({
      cursor: null,
      done: 0,
      total: options.total ?? null,
      finished: false,
      startedAt: now,
      updatedAt: now
    }))
  })

/**
 * Runs `f` on every item of a paged list, saving the next page's cursor after each page, so a
 * run that stops (a crash, a timeout, `BudgetExhausted`) resumes at the page it was on when the
 * next invocation calls this again with the same run id.
 *
 * **Note**: items of the page being handled when the run stopped are handled again on resume;
 * `f` must be safe to repeat (an idempotency key, a done-marker or a lookup before a create).
 */
export const forEachPage = <A, E, R, E2, R2>(
  name: string,
  pages: (cursor: string | null) => Stream.Stream<Page<A>, E, R>,
  f: (item: A) => Effect.Effect<unknown, E2, R2>,
  options: Options = {}
): Effect.Effect<Position, E | E2 | StorageError, R | R2 | Storage> =>
  Effect.gen(function* () {
    const initial = yield* start(name, options)
    if (initial.finished) return initial
    const last = yield* pages(initial.cursor).pipe(
      Stream.runFoldEffect(initial, (position, page) =>
        Effect.gen(function* () {
          yield* Effect.forEach(page.items, f, {
            concurrency: options.concurrency ?? 1,
            discard: true
          })
          const next: Position = {
            ...position,
            cursor: page.nextCursor ?? null,
            done: position.done + page.items.length,
            finished: page.nextCursor == null,
            updatedAt: yield* Clock.currentTimeMillis
          }
          yield* save(name, next)
          return next
        })
      )
    )
    if (last.finished) return last
    const finished = { ...last, finished: true, updatedAt: yield* Clock.currentTimeMillis }
    yield* save(name, finished)
    return finished
  })

/**
 * Runs `f` on every item of an array in groups of `every`, saving after each group, so a run
 * that stops resumes at the group it was on. The same note as `forEachPage` applies.
 */
export const forEach = <A, E, R>(
  name: string,
  items: ReadonlyArray<A>,
  f: (item: A) => Effect.Effect<unknown, E, R>,
  options: Options & { readonly every?: number } = {}
): Effect.Effect<Position, E | StorageError, R | Storage> => {
  const every = Math.max(1, options.every ?? 10)
  return forEachPage(
    name,
    (cursor) => {
      const from = cursor === null ? 0 : Number(cursor)
      return Stream.range(0, Math.ceil((items.length - from) / every) - 1).pipe(
        Stream.map((group) => {
          const begin = from + group * every
          const end = Math.min(items.length, begin + every)
          return {
            items: items.slice(begin, end),
            nextCursor: end >= items.length ? null : String(end)
          }
        })
      )
    },
    f,
    { ...options, total: options.total ?? items.length }
  )
}
