import { ConfigurationError, type InvalidPayload, Workflow } from "@workway/core"
import { Invocation } from "@workway/http"
import { Cause, Effect, Exit, Layer, Logger, ManagedRuntime, Option, Runtime } from "effect"
import * as Auth from "./Auth"
import { configProvider, WorkerContext, WorkerEnv } from "./Bindings"
import * as Inspector from "./Inspector"
import * as Limits from "./Limits"
import * as Respond from "./Respond"
import * as Runs from "./runs/Routes"
import * as Webhooks from "./webhooks/Route"

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
  /** Depth, array and string bounds of JSON bodies (default 64, 10,000, 262,144). */
  readonly limits?: Partial<Limits.JsonLimits>
  /** Outbound requests one invocation may make (default `WORKWAY_SUBREQUEST_BUDGET` or 1,000). */
  readonly subrequests?: number
  /** Serves `POST /runs` and `GET /runs/<id>` for long runs kept by a `LongRun` object. */
  readonly runs?: Runs.RunsOptions
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
 * answers `{ success, result, report }`; `POST /webhooks/<service>` verifies a vendor's signed
 * event and starts the workflow in the background; `GET /health` answers when the Worker is up.
 * `/execute`, `/runs` and the inspector need `Authorization: Bearer <WORKWAY_API_TOKEN>` (`Auth`).
 * Bad input gets a 4xx JSON error naming the problem; nothing answers with a stack trace.
 */
export const make = <W extends Workflow.Any, LE>(options: WorkerOptions<W, LE>): Handler => {
  const { workflow } = options
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const limits: Limits.BodyLimits = { ...Limits.defaults, ...options.limits, maxBodyBytes }
  const recent = Inspector.makeLog()
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

  /** One run on a trigger payload, its outcome logged. */
  const run = (trigger: unknown, env: Readonly<Record<string, unknown>>, runId?: string) =>
    Effect.gen(function* () {
      const execution = yield* Workflow.execute(workflow, {
        trigger,
        inputs: options.inputs?.(env) ?? {},
        ...(runId === undefined ? {} : { runId })
      })
      const { report } = execution
      recent.record(execution)
      yield* Effect.logInfo(execution.success ? "run succeeded" : "run failed").pipe(
        Effect.annotateLogs({
          workflow: workflow.name,
          runId: report.runId,
          wallMs: report.wallMs,
          calls: Object.values(report.integrations).reduce((sum, i) => sum + i.calls, 0),
          ...(execution.success ? {} : { error: describeError(execution.error) })
        })
      )
      return execution
    }).pipe(
      Effect.provide(
        Layer.succeed(Invocation.Invocation, Invocation.unsafeMake({ subrequests: budgetOf(env) }))
      )
    )

  const execute = (request: Request, env: Readonly<Record<string, unknown>>) =>
    Effect.gen(function* () {
      const payload = yield* Limits.readJson(request, limits)
      const execution = yield* run(payload, env)
      const { report } = execution
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
        LimitExceeded: (exceeded) =>
          Effect.succeed(Respond.error(400, "LimitExceeded", exceeded.message)),
        InvalidPayload: (error) => Effect.succeed(invalidPayload(error))
      })
    )

  const webhooks = Webhooks.make({
    trigger: workflow.trigger,
    limits,
    prepare: Effect.gen(function* () {
      const env = yield* WorkerEnv
      const ctx = yield* WorkerContext
      const runtime = yield* runtimeFor(env)
      return (payload, runId) =>
        ctx.waitUntil(
          Runtime.runPromiseExit(runtime)(
            run(payload, env, runId).pipe(Effect.provideService(WorkerContext, ctx))
          ).then((exit) => {
            if (Exit.isFailure(exit)) failure(exit.cause)
          })
        )
    })
  })

  /** Answers what comes before the workflow's own routes: webhooks and the API token check. */
  const front = (
    request: Request,
    env: Readonly<Record<string, unknown>>,
    ctx: ExecutionContext
  ): Promise<Response | undefined> => {
    const { pathname } = new URL(request.url)
    if (!Limits.decodablePath(pathname)) {
      return Promise.resolve(
        Respond.error(400, "InvalidPath", "The path has a percent-escape that is not UTF-8")
      )
    }
    const answer = pathname.startsWith(Webhooks.prefix)
      ? webhooks(request, pathname)
      : Auth.protects(pathname)
        ? Effect.match(Auth.authorize(request), {
            onFailure: Auth.respond,
            onSuccess: () => undefined
          })
        : undefined
    if (answer === undefined) return Promise.resolve(undefined)
    return Effect.runPromise(
      answer.pipe(
        Effect.provideService(WorkerEnv, env),
        Effect.provideService(WorkerContext, ctx),
        Effect.withConfigProvider(configProvider(env)),
        Effect.provide(Logger.json)
      )
    )
  }

  const route = (
    request: Request,
    env: Readonly<Record<string, unknown>>,
    ctx: ExecutionContext
  ) => {
    const { pathname } = new URL(request.url)
    if (Inspector.matches(pathname)) return Promise.resolve(Inspector.respond(request, recent))
    if (pathname === "/health") {
      return request.method === "GET"
        ? Promise.resolve(
            Respond.json({ ok: true, workflow: workflow.name, version: workflow.version })
          )
        : Promise.resolve(methodNotAllowed("GET"))
    }
    if (options.runs !== undefined && (pathname === "/runs" || pathname.startsWith("/runs/"))) {
      return Runs.handle(request, env, workflow, options.runs, limits).then(
        (response) => response ?? Respond.error(404, "NotFound", `No route for ${pathname}`)
      )
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
    fetch: (request, env, ctx) => {
      const bindings = env as Readonly<Record<string, unknown>>
      return front(request, bindings, ctx)
        .then((answer) => answer ?? route(request, bindings, ctx))
        .catch((cause: unknown) => failure(Cause.die(cause)))
    }
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
