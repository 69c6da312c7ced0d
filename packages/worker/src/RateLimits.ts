import { LimitStore, RateLimiter } from "@workway/http"
import { Effect, Layer } from "effect"
import { WorkerEnv } from "./Bindings"
import * as DurableLimitStore from "./state/DurableLimitStore"
import { isDurableObjectNamespace } from "./state/internal/binding"

/**
 * The rate limiter of a Worker: limits shared by every isolate through the `RateLimitStore`
 * Durable Object when the deployment binds it (`WORKWAY_RATE_LIMITER` by default), otherwise
 * limits kept in this isolate, with a warning at start-up.
 *
 * **Note**: without the binding each isolate paces on its own, so a busy deployment with many
 * isolates can exceed a vendor's limit and rely on its 429s.
 */
export const layer = (
  options: { readonly binding?: string } = {}
): Layer.Layer<RateLimiter.RateLimiter, never, WorkerEnv> =>
  Layer.unwrapEffect(
    Effect.map(WorkerEnv, (env) => {
      const binding = options.binding ?? DurableLimitStore.defaultBinding
      if (isDurableObjectNamespace(env[binding])) {
        return RateLimiter.layer.pipe(
          Layer.provide(Layer.orDie(DurableLimitStore.layer({ binding })))
        )
      }
      return RateLimiter.layer.pipe(
        Layer.provide(LimitStore.layerMemory),
        Layer.tap(() =>
          Effect.logWarning(
            `No ${binding} Durable Object binding: rate limits are kept per isolate, not shared`
          )
        )
      )
    })
  )
