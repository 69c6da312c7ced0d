import { ConfigurationError, type InvalidPayload, Workflow } from "@workway/core"
import { Invocation } from "@workway/http"
import { Cause, Effect, Exit, Layer, Logger, ManagedRuntime, Option } from "effect"
import { configProvider, WorkerContext, WorkerEnv } from "./Bindings"
import * as Body from "./Body"
import * as Respond from "./Respond"

/** How a workflow is served as a Worker. */
export interface WorkerOptions<W extends Workflow.Any, LE> {
  readonly workflow: W
  /**
   * The services the workflow needs, built once per isolate. Configuration (`Config`) reads the
   * Worker's vars and secrets; bindings are reachable through `WorkerEnv`.
   */
  readonly layer: Layer.Layer<Workflow.Requirements<W>, LE, WorkerEnv>
  /** The workflow's inputs, taken from the Worker's environment. */
  readonly inputs?: (env: Readonly<Record<string, unknown>>) => unknown
  /** Largest accepted request body, in bytes (default 1 MiB). */
  readonly maxBodyBytes?: number
  /** Outbound requests one invocation may make (default `WORKWAY_SUBREQUEST_BUDGET` or 1,000). */
  readonly subrequests?: number
}

/** A module Worker: `export default Worker.make(...)`. */
export interface Handler {
  readonly fetch: (request: Request, env: object, ctx: ExecutionContext) => Promise<Response>
}

const statusOf = (error: unknown): number => {
  const tag =
    typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined
  if (tag === "IntegrationError") return 502
  if (tag === "BudgetExhausted") return 503
  return 422
}

/** A typed workflow failure as JSON: its tag, message and plain fields. */
const describeError = (error: unknown): Record<string, unknown> => {
  if (typeof error !== "object" || error === null) return { type: "Error", message: String(error) }
  const fields = Object.fromEntries(
    Object.entries(error).filter(([key, value]) => key !== "_tag" && typeof value !== "function")
  )
  const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : "Error"
  const message = error instanceof Error ? error.message : tag
  return { type: tag, message, ...fields }
}

const invalidPayload = (error: InvalidPayload) =>
  error.source === "trigger"
    ? Respond.error(400, "InvalidPayload", error.message, { issues: error.issues })
    : Respond.error(
        500,
        "ConfigurationError",
        `The Worker's configuration does not give valid workflow inputs: ${error.message}`,
        { issues: error.issues }
      )

/**
 * Serves a workflow: `POST /execute` runs it with the JSON body as the trigger payload and
 * answers `{ success, result, report }`; `GET /health` answers when the Worker is up. Bad input
 * gets a 4xx JSON error naming the problem; nothing answers with a stack trace.
 */
export const make = <W extends Workflow.Any, LE>(options: WorkerOptions<W, LE>): Handler => {
  const { workflow } = options
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const runtimes = new WeakMap<
    object,
    ManagedRuntime.ManagedRuntime<Workflow.Requirements<W>, ConfigurationError>
  >()

  const runtimeFor = (env: Readonly<Record<string, unknown>>) => {
    const existing = runtimes.get(env)
    if (existing !== undefined) return existing
    const layer = options.layer.pipe(
      Layer.provide(Layer.succeed(WorkerEnv, env)),
      Layer.provide(Layer.setConfigProvider(configProvider(env))),
      Layer.provideMerge(Logger.json),
      Layer.mapError((error) => new ConfigurationError({ detail: String(error) }))
    )
    const runtime = ManagedRuntime.make(layer)
    runtimes.set(env, runtime)
    return runtime
  }

  const budgetOf = (env: Readonly<Record<string, unknown>>): number => {
    const configured = Number(env.WORKWAY_SUBREQUEST_BUDGET)
    return (
      options.subrequests ?? (Number.isFinite(configured) && configured > 0 ? configured : 1000)
    )
  }

  const execute = (request: Request, env: Readonly<Record<string, unknown>>) =>
    Effect.gen(function* () {
      const payload = yield* Body.readJson(request, maxBodyBytes)
      const execution = yield* Workflow.execute(workflow, {
        trigger: payload,
        inputs: options.inputs?.(env) ?? {}
      })
      const { report } = execution
      yield* Effect.logInfo(execution.success ? "run succeeded" : "run failed").pipe(
        Effect.annotateLogs({
          workflow: workflow.name,
          runId: report.runId,
          wallMs: report.wallMs,
          calls: Object.values(report.integrations).reduce((sum, i) => sum + i.calls, 0)
        })
      )
      return execution.success
        ? Respond.json({ success: true, result: execution.result, report })
        : Respond.json(
            { success: false, error: describeError(execution.error), report },
            statusOf(execution.error)
          )
    }).pipe(
      Effect.catchTags({
        BodyRejected: (rejected) =>
          Effect.succeed(Respond.error(rejected.status, rejected.type, rejected.message)),
        InvalidPayload: (error) => Effect.succeed(invalidPayload(error))
      }),
      Effect.provide(
        Layer.succeed(Invocation.Invocation, Invocation.unsafeMake({ subrequests: budgetOf(env) }))
      )
    )

  const route = (
    request: Request,
    env: Readonly<Record<string, unknown>>,
    ctx: ExecutionContext
  ) => {
    const { pathname } = new URL(request.url)
    if (pathname === "/health") {
      return request.method === "GET"
        ? Promise.resolve(
            Respond.json({ ok: true, workflow: workflow.name, version: workflow.version })
          )
        : Promise.resolve(methodNotAllowed("GET"))
    }
    if (pathname !== "/execute") {
      return Promise.resolve(
        Respond.error(404, "NotFound", `No route for ${pathname}; try POST /execute or GET /health`)
      )
    }
    if (request.method !== "POST") return Promise.resolve(methodNotAllowed("POST"))
    return runtimeFor(env)
      .runPromiseExit(execute(request, env).pipe(Effect.provideService(WorkerContext, ctx)))
      .then((exit) => (Exit.isSuccess(exit) ? exit.value : failure(exit.cause)))
  }

  return {
    fetch: (request, env, ctx) =>
      route(request, env as Readonly<Record<string, unknown>>, ctx).catch((cause: unknown) =>
        failure(Cause.die(cause))
      )
  }
}

const methodNotAllowed = (allowed: string) =>
  Respond.error(405, "MethodNotAllowed", `Use ${allowed} for this path`, {}, { allow: allowed })

/** An unexpected failure: logged in full, answered without internals. */
const failure = (cause: Cause.Cause<unknown>): Response => {
  const configuration = Cause.failureOption(cause).pipe(
    Option.filter((error): error is ConfigurationError => error instanceof ConfigurationError)
  )
  console.error(
    JSON.stringify({ level: "ERROR", message: "request failed", cause: Cause.pretty(cause) })
  )
  if (Option.isSome(configuration)) {
    return Respond.error(500, "ConfigurationError", configuration.value.message)
  }
  return Respond.error(
    500,
    "InternalError",
    "The request failed unexpectedly; the error was logged"
  )
}
