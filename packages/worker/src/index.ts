/** The API token that guards `/execute` and the inspector. */
export * as Auth from "./Auth"
/** Environment and execution context of a request, as services. */
export * from "./Bindings"
/** Request bodies read within a size limit. */
export * as Body from "./Body"
/** Bounds on request bodies: size, JSON depth, array and string lengths. */
export * as Limits from "./Limits"
/** The rate limiter of a Worker: shared through a Durable Object when bound. */
export * as RateLimits from "./RateLimits"
/** JSON responses. */
export * as Respond from "./Respond"
/** Long, checkpointed runs on Durable Object alarms. */
export * from "./runs"
/** Cloudflare-native state: shared rate limits, KV caches, Durable Object storage. */
export * from "./state"
/** Serving a workflow as a module Worker. */
export * as Worker from "./Worker"
/** Verified vendor webhooks: Zoom, Slack and Stripe. */
export * as Webhooks from "./webhooks"
