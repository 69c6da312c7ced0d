import { ConfigurationError } from "@workway/core"
import { Effect } from "effect"
import { WorkerEnv } from "../../Bindings"

const hasMethods = (value: unknown, names: ReadonlyArray<string>): boolean =>
  typeof value === "object" &&
  value !== null &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === "function")

/** Whether a binding looks like a Durable Object namespace. */
export const isDurableObjectNamespace = (value: unknown): boolean =>
  hasMethods(value, ["idFromName", "get"])

/** Whether a binding looks like a KV namespace. */
export const isKvNamespace = (value: unknown): value is KVNamespace =>
  hasMethods(value, ["get", "getWithMetadata", "put", "delete"])

/** A Durable Object namespace from the Worker's environment, or why it is missing. */
export const durableObjectNamespace = <T extends Rpc.DurableObjectBranded>(
  name: string,
  className: string
): Effect.Effect<DurableObjectNamespace<T>, ConfigurationError, WorkerEnv> =>
  Effect.flatMap(WorkerEnv, (env) => {
    const value = env[name]
    return isDurableObjectNamespace(value)
      ? Effect.succeed(value as DurableObjectNamespace<T>)
      : Effect.fail(
          new ConfigurationError({
            detail:
              `Durable Object binding "${name}" is missing; add [[durable_objects.bindings]] ` +
              `name = "${name}", class_name = "${className}" to wrangler.toml and export ` +
              `${className} from the Worker's main module`
          })
        )
  })

/** A KV namespace from the Worker's environment, or why it is missing. */
export const kvNamespace = (
  name: string
): Effect.Effect<KVNamespace, ConfigurationError, WorkerEnv> =>
  Effect.flatMap(WorkerEnv, (env) => {
    const value = env[name]
    return isKvNamespace(value)
      ? Effect.succeed(value)
      : Effect.fail(
          new ConfigurationError({
            detail:
              `KV binding "${name}" is missing; create a namespace with ` +
              `\`wrangler kv namespace create ${name}\` and add [[kv_namespaces]] ` +
              `binding = "${name}" to wrangler.toml`
          })
        )
  })

/** What a failed call to a binding said, as text for an error's detail. */
export const errorDetail = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)

/**
 * Whether a failed Durable Object call may be retried: the runtime marks transient failures
 * `retryable`, and an `overloaded` object only gets worse with more calls.
 */
export const retryable = (error: unknown): boolean =>
  typeof error === "object" &&
  error !== null &&
  (error as { readonly retryable?: unknown }).retryable === true &&
  (error as { readonly overloaded?: unknown }).overloaded !== true
