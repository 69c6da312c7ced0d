import { type ConfigurationError, Storage, StorageError } from "@workway/core"
import { Context, Duration, Effect, Layer, Option, Schedule } from "effect"
import type { WorkerEnv } from "../Bindings"
import { AtomicState, type AtomicStateService, ttlMillis } from "./AtomicState"
import { durableObjectNamespace, errorDetail, retryable } from "./internal/binding"
import { encodeJson } from "./internal/json"
import type { StateStore } from "./StateStore"

/** The binding a deployment declares for `StateStore` unless told otherwise. */
export const defaultBinding = "WORKWAY_STATE"

/** How keys are spread over `StateStore` objects. */
export interface StateStorageOptions {
  /**
   * The object that holds a key. Default: one object, `state`, for every key; spread keys (by
   * workflow, say) when one object's throughput, about a thousand calls a second, is not enough.
   */
  readonly objectName?: (key: string) => string
}

const defaultObjectName = (): string => "state"

const client = (namespace: DurableObjectNamespace<StateStore>, options: StateStorageOptions) => {
  const objectName = options.objectName ?? defaultObjectName
  const stubOf = (key: string) => namespace.get(namespace.idFromName(objectName(key)))

  /** One call to the key's object; `idempotent` calls are retried on transient failures. */
  return <A>(
    operation: StorageError["operation"],
    key: string,
    send: (stub: DurableObjectStub<StateStore>) => Promise<A>,
    idempotent: boolean
  ): Effect.Effect<A, StorageError> =>
    Effect.tryPromise({
      try: () => send(stubOf(key)),
      catch: (error) => error
    }).pipe(
      Effect.retry({
        schedule: Schedule.jittered(Schedule.exponential("25 millis")),
        times: idempotent ? 2 : 0,
        while: retryable
      }),
      Effect.mapError((error) => new StorageError({ operation, key, detail: errorDetail(error) }))
    )
}

/**
 * Strongly consistent `Storage` over `StateStore` Durable Objects, for checkpoints and anything a
 * later run must read exactly as written. Each operation is one round trip to the key's object.
 */
export const makeStorage = (
  namespace: DurableObjectNamespace<StateStore>,
  options: StateStorageOptions = {}
): Storage.StorageService => {
  const call = client(namespace, options)
  return Storage.fromStrings({
    read: (key) =>
      Effect.map(
        call("get", key, (stub) => stub.get(key) as Promise<string | null>, true),
        Option.fromNullable
      ),
    write: (key, value, ttl) => {
      const millis = Option.getOrUndefined(Option.map(ttl, Duration.toMillis))
      return call("set", key, (stub) => stub.set(key, value, millis) as Promise<void>, true)
    },
    remove: (key) =>
      Effect.asVoid(call("delete", key, (stub) => stub.delete(key) as Promise<boolean>, true))
  })
}

/**
 * Atomic markers and counters over `StateStore` Durable Objects. Neither operation is retried
 * after a failure: a call whose answer was lost may have been applied.
 */
export const makeAtomic = (
  namespace: DurableObjectNamespace<StateStore>,
  options: StateStorageOptions = {}
): AtomicStateService => {
  const call = client(namespace, options)
  return {
    setIfAbsent: (key, schema, value, setOptions) =>
      Effect.flatMap(encodeJson(key, schema, value), (text) =>
        call(
          "set",
          key,
          (stub) => stub.setIfAbsent(key, text, ttlMillis(setOptions)) as Promise<boolean>,
          false
        )
      ),
    increment: (key, by = 1, setOptions) =>
      call(
        "set",
        key,
        (stub) => stub.increment(key, by, ttlMillis(setOptions)) as Promise<number>,
        false
      )
  }
}

const namespaceOf = (binding: string | undefined) =>
  durableObjectNamespace<StateStore>(binding ?? defaultBinding, "StateStore")

/**
 * `Storage` and `AtomicState` over the `StateStore` namespace bound as `binding` (default
 * `WORKWAY_STATE`), sharing their keys.
 */
export const layer = (
  options: StateStorageOptions & { readonly binding?: string } = {}
): Layer.Layer<Storage.Storage | AtomicState, ConfigurationError, WorkerEnv> =>
  Layer.effectContext(
    Effect.map(namespaceOf(options.binding), (namespace) =>
      Context.make(Storage.Storage, makeStorage(namespace, options)).pipe(
        Context.add(AtomicState, makeAtomic(namespace, options))
      )
    )
  )

/**
 * `AtomicState` alone over the `StateStore` namespace bound as `binding`, for a Worker whose
 * `Storage` is a cache elsewhere.
 */
export const layerAtomic = (
  options: StateStorageOptions & { readonly binding?: string } = {}
): Layer.Layer<AtomicState, ConfigurationError, WorkerEnv> =>
  Layer.effect(
    AtomicState,
    Effect.map(namespaceOf(options.binding), (namespace) => makeAtomic(namespace, options))
  )
