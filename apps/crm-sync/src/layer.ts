import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RateLimiter } from "@workway/http"
import { Notion, Stripe } from "@workway/integrations"
import { DurableLimitStore } from "@workway/worker"
import { Layer } from "effect"

/** Stripe and Notion, configured from the environment. */
export const integrations = Layer.mergeAll(Stripe.layer(), Notion.layer())

/**
 * The integrations over `fetch`, paced by rate limits every isolate of the deployment shares
 * (the `WORKWAY_RATE_LIMITER` Durable Object).
 */
export const live = integrations.pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RateLimiter.layer.pipe(Layer.provide(DurableLimitStore.layer())))
)
