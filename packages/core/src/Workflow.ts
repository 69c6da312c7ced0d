import { Effect, Request, Schema } from "effect"
import { InvalidPayload } from "./Errors"
import { fromParseError } from "./Issues"
import { makeRecorder, RunRecorder, type RunReport } from "./RunReport"
import type { Trigger } from "./Trigger"

/** What a workflow's `run` receives: the decoded trigger payload and its configured inputs. */
export interface RunContext<T, I> {
  readonly trigger: T
  readonly inputs: I
}

/**
 * A typed workflow: its trigger and inputs are schemas, and `run` is an Effect whose error
 * type says what can go wrong and whose requirements are the integrations it calls.
 */
export interface Workflow<T, TI, I, II, A, E, R> {
  readonly name: string
  readonly version: string
  readonly trigger: Trigger<T, TI>
  readonly inputs: Schema.Schema<I, II>
  readonly run: (context: RunContext<T, I>) => Effect.Effect<A, E, R>
}

/** Any workflow, whatever its types. */
// biome-ignore lint/suspicious/noExplicitAny: variance of a heterogeneous collection
export type Any = Workflow<any, any, any, any, any, any, any>

/** The success value of a workflow. */
export type Success<W> =
  W extends Workflow<infer _T, infer _TI, infer _I, infer _II, infer A, infer _E, infer _R>
    ? A
    : never
/** The error type of a workflow. */
export type Error<W> =
  W extends Workflow<infer _T, infer _TI, infer _I, infer _II, infer _A, infer E, infer _R>
    ? E
    : never
/** The services a workflow needs. */
export type Requirements<W> =
  W extends Workflow<infer _T, infer _TI, infer _I, infer _II, infer _A, infer _E, infer R>
    ? R
    : never

/** Defines a workflow. */
export const make = <T, TI, I, II, A, E, R>(
  definition: Workflow<T, TI, I, II, A, E, R>
): Workflow<T, TI, I, II, A, E, R> => definition

/** The outcome of one run together with its report. */
export type Execution<A, E> =
  | { readonly success: true; readonly result: A; readonly report: RunReport }
  | { readonly success: false; readonly error: E; readonly report: RunReport }

/** Raw input of one run, before decoding. */
export interface ExecuteInput {
  readonly trigger: unknown
  readonly inputs?: unknown
  readonly runId?: string
}

const decodeOrReport = <A, I>(
  schema: Schema.Schema<A, I>,
  value: unknown,
  source: "trigger" | "inputs"
) =>
  Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(value).pipe(
    Effect.mapError(
      (error) =>
        new InvalidPayload({
          source,
          message:
            `The ${source === "trigger" ? "trigger payload" : "workflow inputs"} do not ` +
            `match the workflow's schema`,
          issues: fromParseError(error)
        })
    )
  )

/**
 * Decodes the input, runs the workflow once and returns its result (or typed error) with the
 * run's report. Identical requests within the run are deduplicated and cached for the run.
 */
export const execute = <T, TI, I, II, A, E, R>(
  workflow: Workflow<T, TI, I, II, A, E, R>,
  input: ExecuteInput
): Effect.Effect<Execution<A, E>, InvalidPayload, R> =>
  Effect.gen(function* () {
    const trigger = yield* decodeOrReport(workflow.trigger.payload, input.trigger, "trigger")
    const inputs = yield* decodeOrReport(workflow.inputs, input.inputs ?? {}, "inputs")
    const runId = input.runId ?? crypto.randomUUID()
    const recorder = yield* makeRecorder({
      workflow: workflow.name,
      version: workflow.version,
      runId
    })
    const requestCache = yield* Request.makeCache({ capacity: 10_000, timeToLive: "1 hour" })
    const outcome = yield* workflow
      .run({ trigger, inputs })
      .pipe(
        Effect.withRequestCaching(true),
        Effect.withRequestCache(requestCache),
        Effect.provideService(RunRecorder, recorder),
        Effect.either,
        Effect.withSpan(`workflow ${workflow.name}`, { attributes: { runId } })
      )
    const report = yield* recorder.report
    return outcome._tag === "Right"
      ? { success: true as const, result: outcome.right, report }
      : { success: false as const, error: outcome.left, report }
  })
