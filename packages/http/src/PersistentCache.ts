import { RunReport, Storage } from "@workway/core"
import { type Duration, Effect, Option, Schema } from "effect"

/** A family of lookups an integration allows to be cached across runs. */
export interface Declaration<A, I> {
  /** The integration whose report counts the hits and misses, e.g. `slack`. */
  readonly integration: string
  /** What is cached, e.g. `users` or `data-source-schemas`; invalidated as a whole. */
  readonly namespace: string
  /** How long an answer may be reused. */
  readonly ttl: Duration.DurationInput
  readonly schema: Schema.Schema<A, I>
}

const Generation = Schema.Number

const generationKey = (integration: string, namespace: string) =>
  `cache:${integration}:${namespace}:generation`

const readGeneration = (storage: Storage.StorageService, integration: string, namespace: string) =>
  storage.get(generationKey(integration, namespace), Generation).pipe(
    Effect.map(Option.getOrElse(() => 0)),
    Effect.orElseSucceed(() => 0)
  )

/**
 * Answers a lookup from `Storage` when an answer younger than the declaration's TTL is there,
 * otherwise runs it and stores the answer. Without a `Storage` service the lookup simply runs.
 * Storage failures never fail the lookup: they count as misses and are logged.
 *
 * **Note**: on Workers this storage is KV, which is eventually consistent: an invalidation can
 * take up to 60 s to reach every location.
 */
export const cached =
  <A, I>(declaration: Declaration<A, I>, key: string) =>
  <E, R>(lookup: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(Effect.serviceOption(Storage.Storage), (option) => {
      if (Option.isNone(option)) return lookup
      const storage = option.value
      const { integration, namespace } = declaration
      const record = (hit: boolean) =>
        RunReport.withRecorder((recorder) => recorder.cache(integration, hit))
      return Effect.gen(function* () {
        const generation = yield* readGeneration(storage, integration, namespace)
        const entryKey = `cache:${integration}:${namespace}:${generation}:${key}`
        const found = yield* storage.get(entryKey, declaration.schema).pipe(
          Effect.tapError((error) =>
            Effect.logWarning(`${error.message}; calling ${integration} instead`)
          ),
          Effect.orElseSucceed(() => Option.none<A>())
        )
        if (Option.isSome(found)) {
          yield* record(true)
          return found.value
        }
        yield* record(false)
        const answer = yield* lookup
        yield* storage.set(entryKey, declaration.schema, answer, { ttl: declaration.ttl }).pipe(
          Effect.tapError((error) =>
            Effect.logWarning(`${error.message}; the answer was not cached`)
          ),
          Effect.ignore
        )
        return answer
      })
    })

/**
 * Forgets every cached answer of a namespace, for example after a workflow's configuration
 * changed, by moving the namespace to a new generation.
 */
export const invalidate = (integration: string, namespace: string): Effect.Effect<void> =>
  Effect.flatMap(Effect.serviceOption(Storage.Storage), (option) =>
    Option.match(option, {
      onNone: () => Effect.void,
      onSome: (storage) =>
        readGeneration(storage, integration, namespace).pipe(
          Effect.flatMap((generation) =>
            storage.set(generationKey(integration, namespace), Generation, generation + 1)
          ),
          Effect.tapError((error) =>
            Effect.logWarning(`cache invalidation failed: ${error.message}`)
          ),
          Effect.ignore
        )
    })
  )
