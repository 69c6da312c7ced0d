/** Atomic markers and counters. */
export * as AtomicState from "./AtomicState"
/** A limit store shared by every isolate, over `RateLimitStore` Durable Objects. */
export * as DurableLimitStore from "./DurableLimitStore"
/** Storage for caches over Workers KV. */
export * as KvStorage from "./KvStorage"
/** The Durable Object holding one vendor account's rate-limit buckets. */
export { RateLimitStore } from "./RateLimitStore"
/** Strongly consistent storage over `StateStore` Durable Objects. */
export * as StateStorage from "./StateStorage"
/** The Durable Object holding consistent key-value state. */
export { StateStore } from "./StateStore"
