import * as path from "node:path"
import { pathToFileURL } from "node:url"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RunReport, Workflow } from "@workway/core"
import { RateLimiter } from "@workway/http"
import { Fakes } from "@workway/testing"
import { ConfigProvider, Effect, Fiber, Layer, Option, Ref } from "effect"
import { type App, CliError, display, files } from "./App"
import { fakeCredentials } from "./Dev"
import * as WranglerConfig from "./WranglerConfig"

/** Services as an app's `src/layer.ts` exports them, whatever they provide. */
type Services = Layer.Layer<never, unknown, never>

/**
 * What the CLI needs from an app to run its workflow in Node:
 *
 * - `src/workflow.ts` exports the workflow as `default`, as `workflow`, or as its only
 *   workflow-shaped export;
 * - `src/layer.ts` exports `live`, the services the workflow needs, configured from the
 *   environment (the Worker's vars and secrets when deployed, `process.env` here), or
 *   `integrations`, the same services still needing an `HttpClient` and a `RateLimiter`, which
 *   the CLI then provides (`fetch` or the fakes, and an in-memory limiter);
 * - optionally `src/layer.ts` exports `fakes(fakes)`, the services over `@workway/testing` fakes;
 *   without it, `integrations` gets the fakes as its `HttpClient`, or `live` runs with the fakes
 *   answering its `fetch` (so `live` must call vendors through `FetchHttpClient`);
 * - optionally `src/layer.ts` exports `inputs(env)`, the workflow's inputs from the environment,
 *   as the Worker passes them to `Worker.make`.
 */
export interface AppModules {
  readonly workflow: Workflow.Any
  readonly live: Services
  /** Whether `live` still needs an `HttpClient` and a `RateLimiter` (it was `integrations`). */
  readonly needsHttp: boolean
  readonly fakes: ((fakes: Fakes.Fakes) => Services) | undefined
  readonly inputs: ((env: Readonly<Record<string, unknown>>) => unknown) | undefined
}

const isWorkflow = (value: unknown): value is Workflow.Any =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { name?: unknown }).name === "string" &&
  typeof (value as { version?: unknown }).version === "string" &&
  typeof (value as { run?: unknown }).run === "function" &&
  typeof (value as { trigger?: unknown }).trigger === "object"

const importModule = (app: App, file: string) =>
  Effect.tryPromise({
    try: () =>
      import(pathToFileURL(path.join(app.dir, file)).href) as Promise<Record<string, unknown>>,
    catch: (cause) =>
      new CliError({
        message:
          `Cannot load ${display(path.join(app.dir, file))}: ` +
          `${cause instanceof Error ? cause.message : String(cause)}`
      })
  })

const workflowOf = (app: App, module: Record<string, unknown>) => {
  const named = [module.default, module.workflow].find(isWorkflow)
  const candidates = Object.values(module).filter(isWorkflow)
  const found = named ?? (candidates.length === 1 ? candidates[0] : undefined)
  return found === undefined
    ? Effect.fail(
        new CliError({
          message:
            `${display(path.join(app.dir, files.workflow))} should export its workflow as ` +
            `\`workflow\` (or default); found ${candidates.length} workflows`
        })
      )
    : Effect.succeed(found)
}

/** Loads an app's workflow and layers, following the conventions of `AppModules`. */
export const load = (app: App): Effect.Effect<AppModules, CliError> =>
  Effect.gen(function* () {
    const workflow = yield* importModule(app, files.workflow).pipe(
      Effect.flatMap((module) => workflowOf(app, module))
    )
    const layer = yield* importModule(app, files.layer)
    const services = Layer.isLayer(layer.live) ? layer.live : layer.integrations
    if (!Layer.isLayer(services)) {
      return yield* new CliError({
        message:
          `${display(path.join(app.dir, files.layer))} should export \`live\` (or ` +
          `\`integrations\`): the Layer of the services the workflow needs`
      })
    }
    return {
      workflow,
      live: services as unknown as Services,
      needsHttp: !Layer.isLayer(layer.live),
      fakes: typeof layer.fakes === "function" ? (layer.fakes as AppModules["fakes"]) : undefined,
      inputs:
        typeof layer.inputs === "function" ? (layer.inputs as AppModules["inputs"]) : undefined
    }
  })

const vendorVariable = /^(ZOOM|NOTION|SLACK|AI|STRIPE|GMAIL)_/

/**
 * The environment of a run: the app's `[vars]`, then the process environment; against the fakes,
 * vendor settings of the environment are dropped and the fakes' credentials used instead.
 */
export const environment = (
  vars: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string | undefined>>,
  live: boolean
): Record<string, string> => {
  const given = Object.entries(env).filter(
    (entry): entry is [string, string] =>
      entry[1] !== undefined && (live || !vendorVariable.test(entry[0]))
  )
  return { ...vars, ...Object.fromEntries(given), ...(live ? {} : fakeCredentials) }
}

/** Options of one run in Node. */
export interface RunOptions {
  readonly app: App
  readonly payload: unknown
  /** Call the real vendor APIs with the environment's credentials instead of the fakes. */
  readonly live: boolean
  /** The process environment (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Knobs of the fakes (latency, rate limits, faults) when not live. */
  readonly fakes?: Fakes.Options
  /** The workflow's inputs; by default `inputs(env)` from the app's layer module, or `{}`. */
  readonly inputs?: unknown
  /** Watches the run while it goes, given its recorder once the run has started. */
  readonly watch?: (
    recorder: Effect.Effect<Option.Option<RunReport.Recorder>>
  ) => Effect.Effect<void>
}

/** A finished run: its outcome and report, and the fakes it ran against. */
export interface Outcome {
  readonly workflow: Workflow.Any
  readonly execution: Workflow.Execution<unknown, unknown>
  readonly fakes: Fakes.Fakes | undefined
}

const issuesText = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  issues.map((issue) => `\n  ${issue.path}: ${issue.message}`).join("")

const toCliError = (error: unknown, live: boolean): CliError => {
  if (error instanceof CliError) return error
  const tag = typeof error === "object" && error !== null && "_tag" in error ? error._tag : ""
  if (tag === "InvalidPayload") {
    const invalid = error as {
      source: string
      issues: ReadonlyArray<{ path: string; message: string }>
    }
    return new CliError({
      message:
        invalid.source === "trigger"
          ? `The payload does not match the workflow's trigger schema:${issuesText(invalid.issues)}`
          : `The workflow's inputs are invalid; set the environment variables that \`inputs\` in ` +
            `src/layer.ts reads, or pass --inputs <file.json>:${issuesText(invalid.issues)}`
    })
  }
  const text = error instanceof Error ? error.message : String(error)
  return new CliError({
    message:
      `The workflow's services could not be built: ` +
      `${text}${live ? "\nSet the missing configuration in the environment, or run without --live to use the fakes." : ""}`
  })
}

/** The services of a run: the app's own for the fakes, or its live ones over fetch or the fakes. */
const servicesOf = (modules: AppModules, fakes: Fakes.Fakes | undefined): Services => {
  if (fakes !== undefined && modules.fakes !== undefined) return modules.fakes(fakes)
  if (!modules.needsHttp) return modules.live
  const http = fakes === undefined ? FetchHttpClient.layer : fakes.layer
  return modules.live.pipe(
    Layer.provide(http),
    Layer.provide(RateLimiter.layerMemory)
  ) as unknown as Services
}

/** Runs an app's workflow once in this process, against in-process fakes or the real vendors. */
export const run = (options: RunOptions): Effect.Effect<Outcome, CliError> =>
  Effect.gen(function* () {
    const { app } = options
    const modules = yield* load(app)
    const config = yield* WranglerConfig.read(path.join(app.dir, files.config))
    const env = environment(WranglerConfig.varsOf(config), options.env ?? process.env, options.live)
    const fakes = options.live ? undefined : Fakes.make(options.fakes)
    const services = servicesOf(modules, fakes)
    const inputs = options.inputs ?? modules.inputs?.(env) ?? {}

    const recorder = yield* Ref.make(Option.none<RunReport.Recorder>())
    const workflow = modules.workflow as Workflow.Workflow<
      unknown,
      unknown,
      unknown,
      unknown,
      unknown,
      unknown,
      never
    >
    const observed: typeof workflow = {
      ...workflow,
      run: (context) =>
        Effect.serviceOption(RunReport.RunRecorder).pipe(
          Effect.flatMap((current) => Ref.set(recorder, current)),
          Effect.zipRight(workflow.run(context))
        )
    }

    const watcher = yield* Effect.forkDaemon(options.watch?.(Ref.get(recorder)) ?? Effect.void)
    const execution = yield* Workflow.execute(observed, { trigger: options.payload, inputs }).pipe(
      Effect.provide(services),
      fakes === undefined
        ? (self) => self
        : Effect.provideService(FetchHttpClient.Fetch, fakes.fetch),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.mapError((error) => toCliError(error, options.live)),
      Effect.ensuring(Fiber.interrupt(watcher))
    )
    return { workflow: modules.workflow, execution, fakes }
  })

/** A typed workflow failure in one line: its tag and message, or its fields. */
export const describeFailure = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return String(error)
  const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : "Error"
  if (error instanceof Error && error.message !== "" && error.message !== tag) {
    return `${tag}: ${error.message}`
  }
  const fields = Object.entries(error).filter(
    ([key, value]) => key !== "_tag" && typeof value !== "function"
  )
  return fields.length === 0 ? tag : `${tag} ${JSON.stringify(Object.fromEntries(fields))}`
}
