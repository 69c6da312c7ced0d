import type { CountingRun } from "./fixtures/counting-run"

declare module "cloudflare:test" {
  interface ProvidedEnv {
    readonly COUNTING_RUNS: DurableObjectNamespace<CountingRun>
  }
}
