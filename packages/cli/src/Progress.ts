import type { RunReport } from "@workway/core"
import { Effect, Option, Ref, Schedule } from "effect"

/** Where a run stands, from its recorder's counts. */
export interface Snapshot {
  readonly elapsedMs: number
  readonly calls: number
  readonly retries: number
  readonly throttled: number
  /** Time calls spent waiting on rate limits and connections, summed over calls. */
  readonly waitMs: number
  readonly byIntegration: ReadonlyArray<readonly [string, number]>
}

/** A snapshot of a report. */
export const snapshot = (report: RunReport.RunReport): Snapshot => {
  const integrations = Object.entries(report.integrations)
  return {
    elapsedMs: report.wallMs,
    calls: integrations.reduce((sum, [, s]) => sum + s.calls, 0),
    retries: integrations.reduce((sum, [, s]) => sum + s.retries, 0),
    throttled: integrations.reduce((sum, [, s]) => sum + s.throttled, 0),
    waitMs: integrations.reduce((sum, [, s]) => sum + s.waitLimiterMs + s.waitPermitMs, 0),
    byIntegration: integrations.flatMap(([name, s]) =>
      s.calls === 0 ? [] : [[name, s.calls] as const]
    )
  }
}

const clock = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = String(seconds % 60).padStart(2, "0")
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`
}

const count = (n: number): string => n.toLocaleString("en-US")

/**
 * One line of progress: calls done (per integration), their rate, time waiting on limits,
 * elapsed time and, when the number of calls to expect is known, the time left.
 */
export const line = (now: Snapshot, expected?: number): string => {
  const seconds = now.elapsedMs / 1000
  const rate = seconds > 0 ? now.calls / seconds : 0
  const parts = [
    `${count(now.calls)}${expected === undefined ? "" : `/${count(expected)}`} calls` +
      (now.byIntegration.length === 0
        ? ""
        : ` (${now.byIntegration.map(([name, calls]) => `${name} ${count(calls)}`).join(", ")})`),
    `${rate.toFixed(rate < 10 ? 1 : 0)}/s`,
    `waiting on limits ${(now.waitMs / 1000).toFixed(1)} s`,
    ...(now.retries > 0 ? [`${count(now.retries)} retries`] : []),
    ...(now.throttled > 0 ? [`${count(now.throttled)} throttled`] : []),
    `${clock(now.elapsedMs)} elapsed`,
    ...(expected !== undefined && rate > 0 && now.calls < expected
      ? [`ETA ${clock(((expected - now.calls) / rate) * 1000)}`]
      : [])
  ]
  return parts.join(" · ")
}

/** How progress is shown. */
export interface ProgressOptions {
  /** Rewrite one line with `\r` (a terminal) or print plain lines (a log). */
  readonly tty: boolean
  readonly write: (text: string) => void
  /** Calls the run is expected to make, for an ETA. */
  readonly expected?: number
  /** Nothing is shown before the run has lasted this long (default 1 s). */
  readonly after?: number
  /** Plain lines are printed at most this often (default 5 s). */
  readonly plainEvery?: number
}

/**
 * Polls a run's recorder every 250 ms and shows where it stands, on stderr by default: one line
 * rewritten in place on a terminal, a plain line every few seconds otherwise. Short runs show
 * nothing. Runs until interrupted; the line is cleared when it stops.
 */
export const show = (
  recorder: Effect.Effect<Option.Option<RunReport.Recorder>>,
  options: ProgressOptions
): Effect.Effect<void> =>
  Effect.gen(function* () {
    const after = options.after ?? 1000
    const plainEvery = options.plainEvery ?? 5000
    const shown = yield* Ref.make({ dirty: false, lastPlain: Number.NEGATIVE_INFINITY })
    const tick = Effect.gen(function* () {
      const current = yield* recorder
      if (Option.isNone(current)) return
      const now = snapshot(yield* current.value.report)
      if (now.elapsedMs < after) return
      const text = line(now, options.expected)
      const state = yield* Ref.get(shown)
      if (options.tty) {
        options.write(`\r\x1b[2K${text}`)
        yield* Ref.set(shown, { ...state, dirty: true })
      } else if (now.elapsedMs - state.lastPlain >= plainEvery) {
        options.write(`${text}\n`)
        yield* Ref.set(shown, { ...state, lastPlain: now.elapsedMs })
      }
    })
    yield* tick.pipe(
      Effect.repeat(Schedule.spaced("250 millis")),
      Effect.onInterrupt(() =>
        Effect.flatMap(Ref.get(shown), (state) =>
          Effect.sync(() => {
            if (state.dirty) options.write("\r\x1b[2K")
          })
        )
      )
    )
  })
