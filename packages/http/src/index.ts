/** Token-bucket arithmetic shared by every limit store. */
export * as Bucket from "./Bucket"
/** Turning vendor answers into verdicts; Retry-After parsing. */
export * as Classify from "./Classify"
/** The outbound pipeline of one service. */
export * as Client from "./Client"
/** Per-invocation subrequest budget and connection cap. */
export * as Invocation from "./Invocation"
/** Rate limits as data. */
export * as Limit from "./Limit"
/** Where bucket state lives. */
export * as LimitStore from "./LimitStore"
/** Lookups cached across runs in Storage with a TTL. */
export * as PersistentCache from "./PersistentCache"
/** Pacing calls to their limits. */
export * as RateLimiter from "./RateLimiter"
/** The retry schedule. */
export * as Retry from "./Retry"
/** Per-deployment settings of a service, read from configuration. */
export * as ServiceConfig from "./ServiceConfig"
