import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { type BudgetExhausted, IntegrationError, Issues, RunReport } from "@workway/core"
import {
  Array as Arr,
  type Clock,
  Duration,
  Effect,
  Either,
  FiberRef,
  Metric,
  MetricBoundaries,
  MetricLabel,
  Option,
  type ParseResult,
  Schedule,
  Schema
} from "effect"
import * as Classify from "./Classify"
import * as Invocation from "./Invocation"
import type { LimitUse } from "./Limit"
import { RateLimiter } from "./RateLimiter"
import * as Retry from "./Retry"

/** HTTP methods the integrations use. */
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE"

/** One call to a vendor, described as data. */
export interface Call {
  /** The vendor's name for the operation, e.g. `pages.create`; used in errors and reports. */
  readonly call: string
  readonly method: Method
  /** A path under the service's base URL, or an absolute URL. */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** A JSON body. */
  readonly json?: unknown
  /** Any other body (form-encoded, multipart). */
  readonly body?: HttpBody.HttpBody
  readonly headers?: Readonly<Record<string, string>>
  /**
   * Whether repeating the call is harmless. GET, PUT and DELETE are; POST and PATCH are not
   * unless the vendor makes them so (an idempotency key). Throttled calls are always retried:
   * the vendor refused them before doing anything.
   */
  readonly idempotent?: boolean
  /** Rate limits beyond the service's own (a Slack channel, a Gmail quota weight). */
  readonly limits?: ReadonlyArray<LimitUse>
}

/** Everything that can make a call fail, as a typed error. */
export type CallError = IntegrationError | BudgetExhausted

/** How one service is reached and paced. */
export interface ServiceOptions {
  /** Name in reports, logs and errors, e.g. `notion`. */
  readonly service: string
  readonly baseUrl: string
  /** Adds credentials to a request; may itself call out (an OAuth token). */
  readonly authorize: (
    request: HttpClientRequest.HttpClientRequest
  ) => Effect.Effect<HttpClientRequest.HttpClientRequest, CallError>
  /** Limits every call of the service is paced by, given the call (Slack tiers by method). */
  readonly limits: (call: Call) => ReadonlyArray<LimitUse>
  readonly classify?: Classify.Classifier
  readonly retry?: Partial<Retry.RetryOptions>
  /** Per attempt; the whole call is bounded by the retry's elapsed cap. */
  readonly timeout?: Duration.DurationInput
  /** Calls of this service in flight at once, within the invocation's connection cap. */
  readonly concurrency?: number
  /** Wait on a throttle signal that carries no Retry-After. */
  readonly throttlePause?: Duration.DurationInput
}

/** Options of a call whose answer is decoded. */
export interface JsonOptions<A> {
  /**
   * For a call that is not safe to repeat: how to find what it made, should an attempt fail
   * after the vendor may have acted on it (a reset, a timeout, a 5xx). With it, such a call is
   * retried: before the next attempt this lookup runs, and what it finds is the call's answer;
   * when it finds nothing, the call never took effect and is sent again. Without it, the call
   * fails at the first such failure.
   */
  readonly findExisting?: Effect.Effect<Option.Option<A>, CallError>
}

/** A service's outbound client: every call is paced, capped, retried, timed and counted. */
export interface ServiceClient {
  readonly service: string
  /** Sends a call and answers the vendor's accepted response. */
  readonly send: (call: Call) => Effect.Effect<Classify.Answer, CallError>
  /** Sends a call and decodes its JSON body. */
  readonly json: <A, I>(
    call: Call,
    schema: Schema.Schema<A, I>,
    options?: JsonOptions<A>
  ) => Effect.Effect<A, CallError>
}

type Failure = Exclude<Classify.Verdict, { readonly _tag: "Ok" }>

interface AttemptFailure extends Retry.Failure {
  readonly verdict: Failure
  readonly status: number | undefined
  /** A failure that ends the call at once: no budget left, no credentials, a bad answer. */
  readonly fatal?: CallError
}

const fatal = (error: CallError): AttemptFailure => ({
  verdict: { _tag: "Failed", reason: "Permanent", code: error._tag, detail: error.message },
  status: undefined,
  retryable: false,
  retryAfter: Option.none(),
  summary: error.message,
  fatal: error
})

const callsTotal = Metric.counter("workway_calls_total")
const requestsTotal = Metric.counter("workway_requests_total")
const throttledTotal = Metric.counter("workway_throttled_total")
/** The histogram of `Metric.timerWithBoundaries`, in milliseconds. */
const latency = Metric.histogram(
  "workway_call_latency",
  MetricBoundaries.fromIterable([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000])
)

/**
 * Records finished calls of one service in its metrics. Every update carries the service's
 * labels in the same array, so that the metric registry finds its entry at once instead of
 * building and hashing a key per call (nested `Metric.tagged` builds a new label array per
 * update); labels the caller added with `Effect.tagMetrics` follow them.
 */
const callMetrics = (service: string) => {
  const integration = MetricLabel.make("integration", service)
  const labels = [integration]
  const latencyLabels = [MetricLabel.make("time_unit", "milliseconds"), integration]
  return (done: {
    readonly attempts: number
    readonly throttled: number
    readonly durationMs: number
  }): Effect.Effect<void> =>
    FiberRef.getWith(FiberRef.currentMetricLabels, (added) =>
      Effect.sync(() => {
        const extra = added.length === 0 ? labels : Arr.union(labels, added)
        callsTotal.unsafeUpdate(1, extra)
        requestsTotal.unsafeUpdate(done.attempts, extra)
        throttledTotal.unsafeUpdate(done.throttled, extra)
        latency.unsafeUpdate(
          done.durationMs,
          added.length === 0 ? latencyLabels : Arr.union(latencyLabels, added)
        )
      })
    )
}

const reasonOf = (verdict: AttemptFailure["verdict"]): IntegrationError["reason"] => {
  switch (verdict._tag) {
    case "Throttled":
      return "RateLimited"
    case "Transient":
      return verdict.code === "timeout"
        ? "Timeout"
        : verdict.code === "transport"
          ? "Transport"
          : "Transient"
    case "Failed":
      return verdict.reason
  }
}

const describeVerdict = (service: string, call: string, verdict: AttemptFailure["verdict"]) => {
  switch (verdict._tag) {
    case "Throttled":
      return `${service} rate limit hit on ${call}`
    case "Transient":
      return `${service} ${call} failed transiently (${verdict.code})`
    case "Failed":
      return `${service} ${call} failed (${verdict.code})`
  }
}

/**
 * Milliseconds by `clock` since `start` (its nanoseconds). Read through `unsafeCurrentTimeNanos`
 * because the TestClock's `currentTimeNanos` throws once a jittered sleep has made its time
 * fractional.
 */
const millisSince = (clock: Clock.Clock, start: bigint) =>
  Number(clock.unsafeCurrentTimeNanos() - start) / 1e6

/**
 * `Effect.retry`, with the schedule's driver made only once an attempt has failed: most calls
 * succeed at once, and making a driver costs more than the rest of their bookkeeping.
 */
const retrying = <A, E, R, X>(
  effect: Effect.Effect<A, E, R>,
  schedule: Schedule.Schedule<X, E>
): Effect.Effect<A, E, R> =>
  Effect.catchAll(effect, (first) =>
    Effect.flatMap(Schedule.driver(schedule), (driver) => {
      const retry = (failure: E): Effect.Effect<A, E, R> =>
        Effect.matchEffect(driver.next(failure), {
          onFailure: () => Effect.fail(failure),
          onSuccess: () => Effect.catchAll(effect, retry)
        })
      return retry(first)
    })
  )

type Decoder = (text: string) => Either.Either<unknown, ParseResult.ParseError>

/** Decoders built once per schema: building one costs more than decoding a typical answer. */
const decoders = new WeakMap<object, Decoder>()

const decoderOf = <A, I>(schema: Schema.Schema<A, I>) => {
  const cached = decoders.get(schema)
  if (cached !== undefined)
    return cached as (text: string) => Either.Either<A, ParseResult.ParseError>
  const made = Schema.decodeUnknownEither(Schema.parseJson(schema), { onExcessProperty: "ignore" })
  decoders.set(schema, made)
  return made
}

/** Builds the outbound client of one service. */
export const make = (options: ServiceOptions) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    const limiter = yield* RateLimiter
    const concurrency = options.concurrency ?? 6
    const classify = options.classify ?? Classify.byStatus
    const retry = { ...Retry.defaults, ...options.retry }
    const schedule = Retry.schedule<AttemptFailure>(retry)
    const timeout = Duration.decode(options.timeout ?? "30 seconds")
    const throttlePause = Duration.decode(options.throttlePause ?? "1 second")
    const service = options.service
    const recordMetrics = callMetrics(service)

    // Slow start: the client's first request goes alone and the others wait for its answer.
    // A cold client's first request is slow to leave (code compiled on first use, a connection
    // opened); slots granted meanwhile would all leave together when it does, as a burst the
    // vendor refuses. The answer also shows whether the key is already throttled. Waiters wait on
    // a plain promise, so on Workers each resumes in its own request's context.
    let firstAnswered: Promise<void> | undefined
    let answered = false
    /**
     * Runs `effect` as the first request, after the first request's answer, or at once. Call it
     * as the effect is about to run: once the first request has been answered, it is `effect`.
     */
    const inStartTurn = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
      if (answered) return effect
      return Effect.uninterruptibleMask((restore) => {
        if (answered) return restore(effect)
        if (firstAnswered === undefined) {
          let settle: () => void = () => undefined
          firstAnswered = new Promise((resolve) => {
            settle = resolve
          })
          // Settled however the first request ends, so no caller waits on it forever.
          return Effect.ensuring(
            restore(effect),
            Effect.sync(() => {
              answered = true
              settle()
            })
          )
        }
        // Waits at most one attempt's timeout: on Workers a first request whose invocation was
        // cancelled may never reach its finaliser, and the others must not wait on it forever.
        const pending = firstAnswered
        const waited = Effect.promise(() => pending).pipe(Effect.timeout(timeout), Effect.ignore)
        return restore(Effect.zipRight(waited, effect))
      })
    }

    const buildRequest = (call: Call) => {
      const url = /^https?:\/\//.test(call.path) ? call.path : `${options.baseUrl}${call.path}`
      const query = Object.entries(call.query ?? {}).flatMap(([key, value]) =>
        value === undefined ? [] : [[key, String(value)] as const]
      )
      let request = HttpClientRequest.make(call.method)(url, {
        urlParams: query,
        headers: { accept: "application/json", ...call.headers }
      })
      if (call.json !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, call.json)
      else if (call.body !== undefined) request = HttpClientRequest.setBody(request, call.body)
      return options.authorize(request)
    }

    const exchange = (
      request: HttpClientRequest.HttpClientRequest,
      clock: Clock.Clock
    ): Effect.Effect<Classify.Answer, Failure> =>
      http.execute(request).pipe(
        Effect.flatMap((response) =>
          Effect.map(response.text, (body) => ({
            status: response.status,
            headers: response.headers,
            body,
            receivedAt: clock.unsafeCurrentTimeMillis()
          }))
        ),
        Effect.timeoutFail({ duration: timeout, onTimeout: () => "timeout" as const }),
        Effect.mapError(
          (error): Failure => ({
            _tag: "Transient",
            retryAfter: Option.none(),
            code: error === "timeout" ? "timeout" : "transport",
            detail:
              error === "timeout"
                ? `no answer within ${Duration.format(timeout)}`
                : `the connection failed: ${error.message}`
          })
        )
      )

    const run = <A>(
      call: Call,
      decode: (answer: Classify.Answer) => Either.Either<A, string>,
      findExisting?: Effect.Effect<Option.Option<A>, CallError>
    ): Effect.Effect<A, CallError> =>
      Effect.gen(function* () {
        const invocation = yield* Invocation.current
        const clock = yield* Effect.clock
        const uses =
          call.limits === undefined
            ? options.limits(call)
            : [...options.limits(call), ...call.limits]
        const safe = call.idempotent ?? (call.method !== "POST" && call.method !== "PATCH")
        const started = clock.unsafeCurrentTimeNanos()
        const startMs = yield* RunReport.currentElapsed
        let attempts = 0
        let throttled = 0
        let waitLimiterMs = 0
        let waitPermitMs = 0
        let lastStatus: number | undefined
        // Set when an attempt failed after the vendor may have acted on it; cleared once a
        // lookup has found that it did not.
        let uncertain = false
        // A lookup of the call's result waits in the same queues as the call: its time counts
        // as queued, not against the retry window.
        let lookupMs = 0
        let queuedBeforeFailure: number | undefined
        const queuedMs = () => waitLimiterMs + waitPermitMs + lookupMs

        const attempt = Effect.gen(function* () {
          if (uncertain && findExisting !== undefined) {
            const looking = clock.unsafeCurrentTimeNanos()
            const found = yield* Effect.mapError(findExisting, fatal)
            lookupMs += millisSince(clock, looking)
            if (Option.isSome(found)) return found.value
            uncertain = false
          }
          // The budget comes first: a request that will never be sent must not wait for, or
          // take, a rate-limit slot shared with every other caller of the key.
          yield* Effect.mapError(invocation.take(service, call.call), fatal)
          attempts += 1
          const request = yield* Effect.mapError(buildRequest(call), fatal)
          // The service permit comes before the rate limiter and the connection after it: a
          // granted slot is used at once, not after a wait for a permit that would bunch it
          // with the next one; and a call waiting for its slot holds none of the connections
          // another service could use.
          const queued = clock.unsafeCurrentTimeNanos()
          const outcome = yield* Effect.gen(function* () {
            waitPermitMs += millisSince(clock, queued)
            waitLimiterMs += yield* limiter.acquire(uses)
            const granted = clock.unsafeCurrentTimeNanos()
            return yield* Effect.suspend(() => {
              waitPermitMs += millisSince(clock, granted)
              return Effect.either(exchange(request, clock))
            }).pipe(invocation.connections.withPermits(1))
          }).pipe(invocation.permits(service, concurrency).withPermits(1), inStartTurn)
          lastStatus = Either.isRight(outcome) ? outcome.right.status : undefined
          const verdict = Either.isLeft(outcome) ? outcome.left : classify(outcome.right)
          if (Either.isRight(outcome) && verdict._tag !== "Throttled") {
            yield* limiter.accepted(uses)
          }
          if (verdict._tag === "Ok" && Either.isRight(outcome)) {
            const decoded = decode(outcome.right)
            if (Either.isRight(decoded)) return decoded.right
            return yield* Effect.fail(
              fatal(
                new IntegrationError({
                  service,
                  call: call.call,
                  reason: "Decode",
                  attempts,
                  status: outcome.right.status,
                  detail: `the response did not match the expected shape: ${decoded.left}`
                })
              )
            )
          }
          if (verdict._tag === "Ok")
            return yield* Effect.dieMessage("an accepted call without an answer")
          if (verdict._tag === "Throttled") {
            throttled += 1
            yield* limiter.throttled(
              uses,
              Option.getOrElse(verdict.retryAfter, () => throttlePause)
            )
          }
          uncertain = verdict._tag === "Transient" && !(verdict.retrySafe ?? safe)
          const retryable =
            verdict._tag === "Throttled" ||
            (verdict._tag === "Transient" && (!uncertain || findExisting !== undefined))
          const summary = describeVerdict(service, call.call, verdict)
          queuedBeforeFailure ??= queuedMs()
          return yield* Effect.fail<AttemptFailure>({
            verdict,
            throttled: verdict._tag === "Throttled",
            queuedMs: queuedMs() - queuedBeforeFailure,
            status: lastStatus,
            retryable,
            retryAfter: verdict._tag === "Failed" ? Option.none() : verdict.retryAfter,
            summary:
              uncertain && retryable
                ? `${summary}, perhaps after taking effect; looking for its result before ` +
                  "sending it again"
                : summary
          })
        })

        return yield* retrying(attempt, schedule).pipe(
          Effect.mapError((failure) =>
            failure.fatal !== undefined
              ? failure.fatal
              : new IntegrationError({
                  service,
                  call: call.call,
                  reason: reasonOf(failure.verdict),
                  attempts,
                  ...(failure.status === undefined ? {} : { status: failure.status }),
                  code: failure.verdict.code,
                  detail:
                    failure.verdict._tag === "Transient" && !failure.retryable && attempts === 1
                      ? `${failure.verdict.detail}; not retried because ${call.method} ` +
                        `${call.call} is not safe to repeat`
                      : failure.verdict.detail
                })
          ),
          Effect.onExit((exit) => {
            const durationMs = millisSince(clock, started)
            const recorded = RunReport.withRecorder((recorder) =>
              recorder.call({
                integration: service,
                call: call.call,
                startMs,
                durationMs: Math.round(durationMs * 10) / 10,
                attempts,
                throttled,
                status: lastStatus ?? null,
                outcome: exit._tag === "Success" ? "ok" : "error",
                waitLimiterMs,
                waitPermitMs: Math.round(waitPermitMs * 10) / 10
              })
            )
            return Effect.zipRight(recorded, recordMetrics({ attempts, throttled, durationMs }))
          })
        )
      }).pipe(
        Effect.withSpan(`${service} ${call.call}`, {
          attributes: { integration: service, call: call.call, method: call.method },
          // A stack trace per call costs more than the call's own bookkeeping; the span's name
          // and attributes already say where it came from.
          captureStackTrace: false
        })
      )

    const send = (call: Call) => run(call, Either.right)

    const json = <A, I>(call: Call, schema: Schema.Schema<A, I>, options?: JsonOptions<A>) => {
      const decode = decoderOf(schema)
      return run(
        call,
        (answer) =>
          Either.mapLeft(decode(answer.body), (error) =>
            Issues.fromParseError(error)
              .slice(0, 3)
              .map((issue) => `${issue.path}: ${issue.message}`)
              .join("; ")
          ),
        options?.findExisting
      )
    }

    return { service, send, json } satisfies ServiceClient
  })
