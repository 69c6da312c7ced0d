import { RunReport } from "@workway/core"
import { Effect, FiberRef, type Request, type RequestResolver } from "effect"

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

/** Notes that a resolver is answering this request; resolvers call it for each request. */
export const answering = (request: object): void => {
  const found: unknown = Reflect.get(request, markKey)
  if (typeof found === "object" && found !== null && "answered" in found) {
    ;(found as Mark).answered = true
  }
}

/**
 * Issues a request through its resolver. When the run caches requests, an equal request seen
 * earlier in the run answers it, and the run's report counts a cache hit or miss for `service`.
 */
export const request = <A extends Request.Request<unknown, unknown>>(
  service: string,
  request: A,
  resolver: RequestResolver.RequestResolver<A>
): Effect.Effect<Request.Request.Success<A>, Request.Request.Error<A>> =>
  Effect.flatMap(FiberRef.get(FiberRef.currentRequestCacheEnabled), (caching) => {
    const own = mark(request)
    return Effect.request(request, resolver).pipe(
      Effect.ensuring(
        caching
          ? RunReport.withRecorder((recorder) => recorder.cache(service, !own.answered))
          : Effect.void
      )
    )
  })
