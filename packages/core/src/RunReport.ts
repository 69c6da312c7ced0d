import { Clock, Context, Effect, Exit, Option } from "effect"

/** One outbound call as the pipeline saw it: timings are milliseconds from the run's start. */
export interface CallRecord {
  readonly integration: string
  readonly call: string
  readonly startMs: number
  readonly durationMs: number
  readonly attempts: number
  readonly throttled: number
  readonly status: number | null
  readonly outcome: "ok" | "error"
  readonly waitLimiterMs: number
  readonly waitPermitMs: number
}

/** One named step of a workflow. */
export interface StepRecord {
  readonly name: string
  readonly startMs: number
  readonly durationMs: number
  readonly outcome: "ok" | "error"
}

/** What one integration cost a run. */
export interface IntegrationSummary {
  readonly calls: number
  readonly requests: number
  readonly retries: number
  readonly throttled: number
  readonly failures: number
  readonly totalMs: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly waitLimiterMs: number
  readonly waitPermitMs: number
  readonly cacheHits: number
  readonly cacheMisses: number
}

/** Where the time of one run went. */
export interface RunReport {
  readonly workflow: string
  readonly version: string
  readonly runId: string
  readonly startedAt: string
  readonly wallMs: number
  readonly integrations: Readonly<Record<string, IntegrationSummary>>
  readonly steps: ReadonlyArray<StepRecord>
  readonly calls: ReadonlyArray<CallRecord>
  /** Calls beyond the detailed list are still counted in `integrations`. */
  readonly callsOmitted: number
  /**
   * Other counts of the run by name, e.g. `rateLimiterRoundTrips`: round trips to a shared
   * rate-limit store, to compare with the requests of `integrations`.
   */
  readonly counters: Readonly<Record<string, number>>
}

/** Collects the calls, cache lookups and steps of one run. */
export interface Recorder {
  readonly runId: string
  /** Milliseconds since the run started, by the Effect clock. */
  readonly elapsed: Effect.Effect<number>
  readonly call: (record: CallRecord) => void
  readonly cache: (integration: string, hit: boolean) => void
  readonly step: (record: StepRecord) => void
  /** Adds `by` to the counter `name`. */
  readonly count: (name: string, by: number) => void
  readonly report: Effect.Effect<RunReport>
}

/** The recorder of the run the current fiber belongs to. */
export class RunRecorder extends Context.Tag("@workway/core/RunRecorder")<
  RunRecorder,
  Recorder
>() {}

const DETAILED_CALLS = 2_000

interface Tally {
  calls: number
  requests: number
  throttled: number
  failures: number
  totalMs: number
  waitLimiterMs: number
  waitPermitMs: number
  cacheHits: number
  cacheMisses: number
  readonly latencies: Array<number>
}

const emptyTally = (): Tally => ({
  calls: 0,
  requests: 0,
  throttled: 0,
  failures: 0,
  totalMs: 0,
  waitLimiterMs: 0,
  waitPermitMs: 0,
  cacheHits: 0,
  cacheMisses: 0,
  latencies: []
})

const round = (ms: number): number => Math.round(ms * 10) / 10

const percentile = (sorted: ReadonlyArray<number>, p: number): number =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0)

const summarize = (tally: Tally): IntegrationSummary => {
  const sorted = [...tally.latencies].sort((a, b) => a - b)
  return {
    calls: tally.calls,
    requests: tally.requests,
    retries: tally.requests - tally.calls,
    throttled: tally.throttled,
    failures: tally.failures,
    totalMs: round(tally.totalMs),
    p50Ms: round(percentile(sorted, 0.5)),
    p95Ms: round(percentile(sorted, 0.95)),
    waitLimiterMs: round(tally.waitLimiterMs),
    waitPermitMs: round(tally.waitPermitMs),
    cacheHits: tally.cacheHits,
    cacheMisses: tally.cacheMisses
  }
}

/**
 * Milliseconds by the Effect clock, with sub-millisecond precision. Read through
 * `unsafeCurrentTimeNanos` because the TestClock's `currentTimeNanos` throws once a jittered
 * sleep has made its time fractional.
 */
const nowMs = Clock.clockWith((clock) =>
  Effect.sync(() => Number(clock.unsafeCurrentTimeNanos()) / 1e6)
)

/** A recorder for a new run of the given workflow. */
export const makeRecorder = (options: {
  readonly workflow: string
  readonly version: string
  readonly runId: string
}): Effect.Effect<Recorder> =>
  Effect.gen(function* () {
    const startedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    const origin = yield* nowMs
    const tallies = new Map<string, Tally>()
    const calls: Array<CallRecord> = []
    const steps: Array<StepRecord> = []
    const counters = new Map<string, number>()
    let omitted = 0
    const tally = (integration: string): Tally => {
      const existing = tallies.get(integration)
      if (existing !== undefined) return existing
      const created = emptyTally()
      tallies.set(integration, created)
      return created
    }
    const elapsed = Clock.clockWith((clock) =>
      Effect.sync(() => round(Number(clock.unsafeCurrentTimeNanos()) / 1e6 - origin))
    )
    return {
      runId: options.runId,
      elapsed,
      call: (record) => {
        const t = tally(record.integration)
        t.calls += 1
        t.requests += record.attempts
        t.throttled += record.throttled
        t.failures += record.outcome === "error" ? 1 : 0
        t.totalMs += record.durationMs
        t.waitLimiterMs += record.waitLimiterMs
        t.waitPermitMs += record.waitPermitMs
        t.latencies.push(record.durationMs)
        if (calls.length < DETAILED_CALLS) calls.push(record)
        else omitted += 1
      },
      cache: (integration, hit) => {
        const t = tally(integration)
        if (hit) t.cacheHits += 1
        else t.cacheMisses += 1
      },
      step: (record) => void steps.push(record),
      count: (name, by) => void counters.set(name, (counters.get(name) ?? 0) + by),
      report: Effect.map(elapsed, (wallMs) => ({
        workflow: options.workflow,
        version: options.version,
        runId: options.runId,
        startedAt,
        wallMs,
        integrations: Object.fromEntries(
          [...tallies.entries()].map(([name, t]) => [name, summarize(t)])
        ),
        steps: [...steps],
        calls: [...calls],
        callsOmitted: omitted,
        counters: Object.fromEntries(counters)
      }))
    }
  })

const outsideRun = Effect.succeed(0)

/** Milliseconds since the current run started; 0 outside a run. */
export const currentElapsed: Effect.Effect<number> = Effect.contextWithEffect((context) => {
  const recorder = Context.getOption(context, RunRecorder)
  return Option.isSome(recorder) ? recorder.value.elapsed : outsideRun
})

/** Runs `f` with the current run's recorder, if the fiber belongs to a run. */
export const withRecorder = (f: (recorder: Recorder) => void): Effect.Effect<void> =>
  Effect.contextWith((context) => {
    const recorder = Context.getOption(context, RunRecorder)
    if (Option.isSome(recorder)) f(recorder.value)
  })

/** Times an effect as a named step of the current run. */
export const step =
  (name: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.serviceOption(RunRecorder).pipe(
      Effect.flatMap(
        Option.match({
          onNone: () => self,
          onSome: (recorder) =>
            Effect.flatMap(recorder.elapsed, (startMs) =>
              self.pipe(
                Effect.onExit((exit) =>
                  Effect.map(recorder.elapsed, (endMs) =>
                    recorder.step({
                      name,
                      startMs,
                      durationMs: round(endMs - startMs),
                      outcome: Exit.isSuccess(exit) ? "ok" : "error"
                    })
                  )
                )
              )
            )
        })
      ),
      Effect.withSpan(`workflow.step ${name}`)
    )
