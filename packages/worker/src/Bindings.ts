import { ConfigProvider, Context } from "effect"

/** The Worker's environment: vars, secrets and bindings, as given to `fetch`. */
export class WorkerEnv extends Context.Tag("@workway/worker/WorkerEnv")<
  WorkerEnv,
  Readonly<Record<string, unknown>>
>() {}

/** The execution context of the current request (`waitUntil`, `passThroughOnException`). */
export class WorkerContext extends Context.Tag("@workway/worker/WorkerContext")<
  WorkerContext,
  ExecutionContext
>() {}

/**
 * Configuration read from the Worker's string vars and secrets, so `Config.string("X")` reads
 * `env.X` on Workers as it reads `process.env.X` locally.
 */
export const configProvider = (
  env: Readonly<Record<string, unknown>>
): ConfigProvider.ConfigProvider =>
  ConfigProvider.fromMap(
    new Map(
      Object.entries(env).flatMap(([key, value]) =>
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? [[key, String(value)] as const]
          : []
      )
    )
  )
