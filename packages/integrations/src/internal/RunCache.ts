import { RunReport, Storage } from "@workway/core"
import { PersistentCache } from "@workway/http"
import { Effect, Exit, FiberRef, Option, type Request, type RequestResolver } from "effect"

/** Whether a resolver answered a request itself, rather than the run's request cache. */
interface Mark {
  answered: boolean
}

/**
 * Where a request carries its mark. Resolvers receive a proxy of the request, not the request,
 * so the mark travels as a property; it is not enumerable, so requests stay equal by value.
 */
const markKey = Symbol.for("@workway/integrations/RunCache/mark")

const mark = (request: object): Mark => {
  const fresh: Mark = { answered: false }
  Object.defineProperty(request, markKey, { value: fresh })
  return fresh
}

/** Notes that a resolver is answering this request rather than the run's request cache. */
const answering = (request: object): void => {
  const found: unknown = Reflect.get(request, markKey)
  if (typeof found === "object" && found !== null && "answered" in found) {
    ;(found as Mark).answered = true
  }
}

const record = (integration: string, hit: boolean) =>
  RunReport.withRecorder((recorder) => recorder.cache(integration, hit))

/**
 * Issues the request `make` builds through its resolver, a fresh request each time the effect
 * runs. When the run caches requests and an equal request of the run answers it, the run's
 * report counts a cache hit for `service`; when the resolver answers it, the resolver counts the hit or miss (`answer`, `answerCached`), so that every
 * lookup counts exactly once.
 */
export const request = <A extends Request.Request<unknown, unknown>>(
  service: string,
  make: () => A,
  resolver: RequestResolver.RequestResolver<A>
): Effect.Effect<Request.Request.Success<A>, Request.Request.Error<A>> =>
  Effect.flatMap(FiberRef.get(FiberRef.currentRequestCacheEnabled), (caching) => {
    const request = make()
    const own = mark(request)
    return Effect.request(request, resolver).pipe(
      Effect.onExit((exit) =>
        caching && !own.answered && !Exit.isInterrupted(exit) ? record(service, true) : Effect.void
      )
    )
  })

/** Answers a request in its resolver by going upstream, which counts a cache miss. */
export const answer = <A, E, R>(
  service: string,
  request: object,
  lookup: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    answering(request)
    return Effect.zipRight(record(service, false), lookup)
  })

/**
 * Answers a request in its resolver from the cache across runs (`PersistentCache`), which counts
 * a hit when `Storage` held an answer younger than the declaration's TTL and a miss otherwise.
 * Without a `Storage` service the lookup goes upstream and counts a miss.
 */
export const answerCached = <A, I, E, R>(
  declaration: PersistentCache.Declaration<A, I>,
  key: string,
  request: object,
  lookup: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    answering(request)
    return Effect.flatMap(Effect.serviceOption(Storage.Storage), (storage) =>
      Option.isNone(storage)
        ? Effect.zipRight(record(declaration.integration, false), lookup)
        : PersistentCache.cached(declaration, key)(lookup)
    )
  })
