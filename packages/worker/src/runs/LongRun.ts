import { DurableObject } from "cloudflare:workers"
import { Checkpoint, ConfigurationError, Storage, Workflow } from "@workway/core"
import { Invocation } from "@workway/http"
import { Cause, Effect, Exit, Layer, Logger, ManagedRuntime, Schema } from "effect"
import { configProvider, WorkerEnv } from "../Bindings"
import * as LocalStorage from "./LocalStorage"
import type { RunRecord } from "./RunRecord"

/** How a workflow runs as a long, checkpointed run. */
export interface LongRunOptions<W extends Workflow.Any, LE> {
  readonly workflow: W
  /** The workflow's services except `Storage`, which the run provides (its own durable state). */
  readonly layer: Layer.Layer<Exclude<Workflow.Requirements<W>, Storage.Storage>, LE, WorkerEnv>
  readonly inputs?: (env: Readonly<Record<string, unknown>>) => unknown
  /** Outbound requests one segment may make before it hands over to the next (default 1,000). */
  readonly subrequests?: number
  /**
   * How long a segment may take before it is presumed dead and the run resumes from its last
   * checkpoint (default 15 minutes, the Workers limit for alarm handlers).
   */
  readonly segmentTimeoutMs?: number
}

/** What `status` answers about a run. */
export interface RunStatus extends RunRecord {
  readonly progress: ReadonlyArray<Checkpoint.Progress & { readonly iteration: string }>
}

const RECORD = "run"

/** Segments in a row that may fail transiently before the run is failed. */
const maxRetries = 8

const tagOf = (error: unknown): unknown =>
  typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined

const isBudgetExhausted = (error: unknown) => tagOf(error) === "BudgetExhausted"

/**
 * A vendor failure that may pass on its own (throttled, 5xx, timeouts, dropped connections):
 * the run waits and resumes from its checkpoint rather than failing.
 */
const isPassing = (error: unknown) =>
  tagOf(error) === "IntegrationError" &&
  ["RateLimited", "Transient", "Timeout", "Transport"].includes(
    (error as { readonly reason?: string }).reason ?? ""
  )

const budgetOf = (
  options: { readonly subrequests?: number },
  env: Readonly<Record<string, unknown>>
) => {
  const configured = Number(env.WORKWAY_SEGMENT_SUBREQUESTS)
  return Number.isFinite(configured) && configured > 0 ? configured : (options.subrequests ?? 1000)
}

const describe = (error: unknown): unknown =>
  typeof error === "object" && error !== null
    ? {
        type: "_tag" in error ? error._tag : "Error",
        message: error instanceof Error ? error.message : String(error),
        ...error
      }
    : { type: "Error", message: String(error) }

/**
 * Makes the Durable Object class that carries long runs of a workflow: each run is one object,
 * driven by its alarm. A segment runs the workflow within a subrequest budget; when the budget is
 * spent (`BudgetExhausted`) the next segment starts at once from the last checkpoint, in a new
 * invocation with a fresh budget. A segment that dies (a crash, an eviction, `ctx.abort()`) is
 * resumed by the watchdog alarm set before it started.
 *
 * @example
 * ```ts
 * export class CrmSyncRun extends LongRun.make({ workflow: crmSync, layer }) {}
 * ```
 */
export const make = <W extends Workflow.Any, LE>(options: LongRunOptions<W, LE>) => {
  const segmentTimeoutMs = options.segmentTimeoutMs ?? 15 * 60 * 1000

  return class LongRunObject extends DurableObject {
    #runtime:
      | ManagedRuntime.ManagedRuntime<Workflow.Requirements<W>, ConfigurationError>
      | undefined

    #runtimeFor() {
      if (this.#runtime !== undefined) return this.#runtime
      const env = this.env as Readonly<Record<string, unknown>>
      const layer = Layer.mergeAll(
        options.layer as Layer.Layer<
          Exclude<Workflow.Requirements<W>, Storage.Storage>,
          LE,
          WorkerEnv
        >,
        Layer.succeed(Storage.Storage, LocalStorage.make(this.ctx.storage))
      ).pipe(
        Layer.provide(Layer.succeed(WorkerEnv, env)),
        Layer.provide(Layer.setConfigProvider(configProvider(env))),
        Layer.provideMerge(Logger.json),
        Layer.mapError((error) => new ConfigurationError({ detail: String(error) }))
      ) as unknown as Layer.Layer<Workflow.Requirements<W>, ConfigurationError>
      this.#runtime = ManagedRuntime.make(layer)
      return this.#runtime
    }

    /** Starts the run once; a second start of the same run answers its status. */
    async start(input: { readonly runId: string; readonly trigger: unknown }): Promise<RunStatus> {
      const existing = await this.ctx.storage.get<RunRecord>(RECORD)
      if (existing === undefined) {
        const now = Date.now()
        const record: RunRecord = {
          runId: input.runId,
          trigger: input.trigger,
          status: "running",
          segments: 0,
          interrupted: 0,
          inSegment: false,
          startedAt: now,
          updatedAt: now,
          totals: { calls: 0, requests: 0, throttled: 0, waitLimiterMs: 0, waitPermitMs: 0 }
        }
        await this.ctx.storage.put(RECORD, record)
        await this.ctx.storage.setAlarm(now)
      }
      return this.status()
    }

    /** The run's record with the progress of each checkpointed iteration. */
    async status(): Promise<RunStatus> {
      const record = await this.ctx.storage.get<RunRecord>(RECORD)
      if (record === undefined) throw new Error("No run here: start it first")
      const now = Date.now()
      const positions = await LocalStorage.listText(
        this.ctx.storage,
        `checkpoint:${record.runId}:`,
        now
      )
      const decode = Schema.decodeUnknownSync(Schema.parseJson(Checkpoint.Position))
      const progress = positions.map(([key, text]) => ({
        iteration: key.slice(`checkpoint:${record.runId}:`.length),
        ...Checkpoint.progressOf(decode(text), record.status === "running" ? now : record.updatedAt)
      }))
      return { ...record, progress }
    }

    /** Runs one segment of the run. */
    override async alarm(): Promise<void> {
      const record = await this.ctx.storage.get<RunRecord>(RECORD)
      if (record === undefined || record.status !== "running") return
      if (record.inSegment) record.interrupted += 1
      record.inSegment = true
      record.segments += 1
      await this.ctx.storage.put(RECORD, record)
      await this.ctx.storage.setAlarm(Date.now() + segmentTimeoutMs)

      const env = this.env as Readonly<Record<string, unknown>>
      const invocation = Invocation.unsafeMake({ subrequests: budgetOf(options, env) })
      const exit = await this.#runtimeFor().runPromiseExit(
        Workflow.execute(options.workflow, {
          trigger: record.trigger,
          inputs: options.inputs?.(env) ?? {},
          runId: record.runId
        }).pipe(Effect.provideService(Invocation.Invocation, invocation))
      )

      const now = Date.now()
      let delay = 0
      record.inSegment = false
      record.updatedAt = now
      if (Exit.isSuccess(exit)) {
        const execution = exit.value
        for (const summary of Object.values(execution.report.integrations)) {
          record.totals.calls += summary.calls
          record.totals.requests += summary.requests
          record.totals.throttled += summary.throttled
          record.totals.waitLimiterMs += summary.waitLimiterMs
          record.totals.waitPermitMs += summary.waitPermitMs
        }
        const error = execution.success ? undefined : execution.error
        if (execution.success) {
          record.status = "succeeded"
          record.result = execution.result
        } else if (isBudgetExhausted(error)) {
          record.retries = 0
        } else if (isPassing(error) && (record.retries ?? 0) < maxRetries) {
          record.retries = (record.retries ?? 0) + 1
          record.error = describe(error)
          delay = Math.min(60_000, 1000 * 2 ** (record.retries - 1))
        } else {
          record.status = "failed"
          record.error = describe(error)
        }
      } else {
        record.status = "failed"
        record.error = Cause.isFailType(exit.cause)
          ? describe(exit.cause.error)
          : {
              type: "InternalError",
              message: "the segment failed unexpectedly; the error was logged"
            }
        console.error(
          JSON.stringify({
            level: "ERROR",
            message: "segment failed",
            runId: record.runId,
            cause: Cause.pretty(exit.cause)
          })
        )
      }
      await this.ctx.storage.put(RECORD, record)
      if (record.status === "running") await this.ctx.storage.setAlarm(now + delay)
      else await this.ctx.storage.deleteAlarm()
      console.log(
        JSON.stringify({
          level: "INFO",
          message:
            record.status !== "running"
              ? `run ${record.status}`
              : delay > 0
                ? `segment failed transiently; retrying in ${delay / 1000} s (retry ${record.retries} of ${maxRetries})`
                : "segment finished, continuing",
          runId: record.runId,
          segment: record.segments,
          requests:
            invocation.limit === Number.POSITIVE_INFINITY
              ? null
              : await Effect.runPromise(invocation.used)
        })
      )
    }
  }
}
