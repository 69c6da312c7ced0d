import { type BudgetExhausted, IntegrationError, RunReport } from "@workway/core"
import { type Client, Invocation, type Limit, RateLimiter, Retry } from "@workway/http"
import {
  Clock,
  type ConfigError,
  Duration,
  Effect,
  Either,
  Layer,
  Option,
  ParseResult,
  Schema
} from "effect"
import { Ai } from "./Ai"
import { type WorkersAiConfiguration, type WorkersAiOptions, workersAiConfig } from "./config"
import { summarizeWith } from "./Summaries"
import { type Generated, type GenerateText, type Message, Usage } from "./schemas"

/** What a text generation model takes through the binding. */
export interface WorkersAiInputs {
  readonly messages: ReadonlyArray<Message>
  readonly max_tokens?: number
  readonly temperature?: number
}

/**
 * The part of a Workers AI binding (`env.AI`) that text generation uses. Declared here rather
 * than taken from `@cloudflare/workers-types`, so that the code compiles and is tested in Node.
 */
export interface WorkersAiBinding {
  run(model: string, inputs: WorkersAiInputs): Promise<unknown>
}

/** What a text generation model answers: `{ response }`, with token usage on newer models. */
export const WorkersAiOutput = Schema.Struct({
  response: Schema.String,
  usage: Schema.optionalWith(Usage, { default: () => ({ promptTokens: 0, completionTokens: 0 }) })
})

const service = "ai"
const call = "workers-ai.run"

const decodeOutput = Schema.decodeUnknownEither(WorkersAiOutput, { onExcessProperty: "ignore" })

type Failure = IntegrationError["reason"]

interface AttemptFailure extends Retry.Failure {
  readonly reason: Failure
  readonly code: string
  readonly detail: string
  /** The invocation's budget is spent: the call ends at once with this error. */
  readonly exhausted?: BudgetExhausted
}

const rateLimited = /rate.?limit|too many requests|\b429\b/i
const transient = /capacity|temporar|timed? ?out|unavailable|overloaded|internal (server )?error/i

/**
 * What a rejection of the binding means, from its message: a rate limit, a passing condition
 * (capacity, timeouts, internal errors), or anything else, which retrying would not cure.
 */
export const classifyRejection = (thrown: unknown): { reason: Failure; detail: string } => {
  const detail = thrown instanceof Error ? thrown.message : String(thrown)
  if (rateLimited.test(detail)) return { reason: "RateLimited", detail }
  if (transient.test(detail)) return { reason: "Transient", detail }
  return { reason: "Permanent", detail }
}

/**
 * The clock in nanoseconds, read like the pipeline reads it: the TestClock's `currentTimeNanos`
 * throws once a jittered sleep has made its time fractional.
 */
const nanos = Clock.clockWith((clock) => Effect.sync(() => clock.unsafeCurrentTimeNanos()))

/** Builds the AI service over a Workers AI binding from resolved configuration. */
export const makeWorkersAi = (binding: WorkersAiBinding, configuration: WorkersAiConfiguration) =>
  Effect.gen(function* () {
    const limiter = yield* RateLimiter.RateLimiter
    const { settings } = configuration
    const semaphore = yield* Effect.makeSemaphore(settings.concurrency)
    const uses: ReadonlyArray<Limit.LimitUse> = [
      { key: `${service}:workers-ai`, limit: settings.limit }
    ]

    const run = (inputs: WorkersAiInputs, model: string) =>
      Effect.gen(function* () {
        const invocation = yield* Invocation.current
        const started = yield* nanos
        const startMs = yield* RunReport.currentElapsed
        let attempts = 0
        let throttled = 0
        let waitLimiterMs = 0
        let waitPermitMs = 0

        const fail = (reason: Failure, code: string, detail: string) =>
          Effect.fail<AttemptFailure>({
            reason,
            code,
            detail,
            retryable: reason === "RateLimited" || reason === "Transient" || reason === "Timeout",
            throttled: reason === "RateLimited",
            retryAfter: Option.none(),
            summary: `Workers AI ${model} failed (${code})`
          })

        const attempt = Effect.gen(function* () {
          yield* Effect.mapError(
            invocation.take(service, call),
            (exhausted): AttemptFailure => ({
              reason: "Permanent",
              code: exhausted._tag,
              detail: exhausted.message,
              retryable: false,
              retryAfter: Option.none(),
              summary: exhausted.message,
              exhausted
            })
          )
          attempts += 1
          waitLimiterMs += yield* limiter.acquire(uses)
          const queued = yield* nanos
          const answer = yield* Effect.gen(function* () {
            waitPermitMs += Number((yield* nanos) - queued) / 1e6
            return yield* Effect.tryPromise({
              try: () => binding.run(model, inputs),
              catch: classifyRejection
            }).pipe(
              Effect.timeoutFail({
                duration: settings.timeout,
                onTimeout: () => ({
                  reason: "Timeout" as const,
                  detail: `no answer within ${Duration.format(settings.timeout)}`
                })
              }),
              Effect.either
            )
          }).pipe(semaphore.withPermits(1))
          if (Either.isLeft(answer)) {
            const { reason, detail } = answer.left
            if (reason === "RateLimited") {
              throttled += 1
              yield* limiter.throttled(uses, Duration.seconds(1))
            }
            return yield* fail(
              reason,
              reason === "RateLimited" ? "rate_limited" : "run_failed",
              detail
            )
          }
          const decoded = decodeOutput(answer.right)
          if (Either.isLeft(decoded)) {
            return yield* Effect.fail<AttemptFailure>({
              reason: "Decode",
              code: "unexpected_output",
              detail:
                `the model's output did not match { response }: ` +
                `${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`,
              retryable: false,
              retryAfter: Option.none(),
              summary: "Workers AI answered an unexpected shape"
            })
          }
          return decoded.right
        })

        return yield* attempt.pipe(
          Effect.retry(Retry.schedule<AttemptFailure>(settings.retry)),
          Effect.mapError(
            (failure): Client.CallError =>
              failure.exhausted !== undefined
                ? failure.exhausted
                : new IntegrationError({
                    service,
                    call,
                    reason: failure.reason,
                    attempts,
                    code: failure.code,
                    detail: failure.detail
                  })
          ),
          Effect.onExit((exit) =>
            Effect.gen(function* () {
              const durationMs = Number((yield* nanos) - started) / 1e6
              yield* RunReport.withRecorder((recorder) =>
                recorder.call({
                  integration: service,
                  call,
                  startMs,
                  durationMs: Math.round(durationMs * 10) / 10,
                  attempts,
                  throttled,
                  status: null,
                  outcome: exit._tag === "Success" ? "ok" : "error",
                  waitLimiterMs,
                  waitPermitMs: Math.round(waitPermitMs * 10) / 10
                })
              )
            })
          ),
          Effect.withSpan(`${service} ${call}`, {
            attributes: { integration: service, call, model }
          })
        )
      })

    const generateText = (request: GenerateText): Effect.Effect<Generated, Client.CallError> => {
      const messages: ReadonlyArray<Message> = [
        ...(request.system === undefined
          ? []
          : [{ role: "system" as const, content: request.system }]),
        { role: "user", content: request.prompt }
      ]
      const inputs: WorkersAiInputs = {
        messages,
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature })
      }
      return run(inputs, request.model ?? configuration.model).pipe(
        Effect.map((output) => ({ text: output.response, usage: output.usage, finishReason: null }))
      )
    }

    return Ai.of({ generateText, summarize: (request) => summarizeWith(generateText, request) })
  })

/**
 * AI over a Workers AI binding (`env.AI`): the same `Ai` service, each `env.AI.run(model,
 * { messages })` paced by its own limit (300 a minute by default, `AI_WORKERS_RATE_LIMIT`),
 * retried after rate limits and passing failures, timed, and recorded in the run's report as
 * integration `ai`, call `workers-ai.run`.
 *
 * **Note**: a binding call cannot be cancelled; after a timeout the model may still finish and
 * bill. Each attempt counts against the invocation's subrequest budget, as Cloudflare counts
 * requests to its services through bindings.
 *
 * @example
 * import { Ai } from "@workway/integrations"
 *
 * const binding: Ai.WorkersAiBinding = {
 *   run: async () => ({ response: "Short summary." })
 * }
 * const AiLive = Ai.layerWorkersAi({ binding, model: "@cf/meta/llama-3.1-8b-instruct" })
 */
export const layerWorkersAi = (
  options: WorkersAiOptions<WorkersAiBinding>
): Layer.Layer<Ai, ConfigError.ConfigError, RateLimiter.RateLimiter> =>
  Layer.effect(
    Ai,
    Effect.flatMap(workersAiConfig(options), (configuration) =>
      makeWorkersAi(options.binding, configuration)
    )
  )
