import type { RateLimitStore, StateStore } from "@workway/worker"
import type { RecordingRateLimitStore } from "./fixtures/state-worker"

declare module "cloudflare:test" {
  interface ProvidedEnv {
    readonly WORKWAY_RATE_LIMITER: DurableObjectNamespace<RateLimitStore>
    readonly RECORDING_RATE_LIMITER: DurableObjectNamespace<RecordingRateLimitStore>
    readonly WORKWAY_STATE: DurableObjectNamespace<StateStore>
    readonly WORKWAY_CACHE: KVNamespace
    readonly PEER_A: Fetcher
    readonly PEER_B: Fetcher
  }
}
