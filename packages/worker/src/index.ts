/** Environment and execution context of a request, as services. */
export * from "./Bindings"
/** Request bodies read within a size limit. */
export * as Body from "./Body"
/** JSON responses. */
export * as Respond from "./Respond"
/** Long, checkpointed runs on Durable Object alarms. */
export * from "./runs"
/** Cloudflare-native state: shared rate limits, KV caches, Durable Object storage. */
export * from "./state"
/** Serving a workflow as a module Worker. */
export * as Worker from "./Worker"
