import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RateLimiter } from "@workway/http"
import { DurableLimitStore, LongRun, StateStorage, Worker } from "@workway/worker"
import { Layer } from "effect"
import { integrations } from "./layer"
import { crmSync } from "./workflow"

export { RateLimitStore, StateStore } from "@workway/worker"

/**
 * The integrations over `fetch`, paced by rate limits every isolate of the deployment shares
 * (the `WORKWAY_RATE_LIMITER` Durable Object).
 */
const live = integrations.pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RateLimiter.layer.pipe(Layer.provide(DurableLimitStore.layer())))
)

const inputs = (env: Readonly<Record<string, unknown>>) => ({
  notionDataSourceId: env.NOTION_DATA_SOURCE_ID,
  concurrency: env.CRM_SYNC_CONCURRENCY
})

/** Carries each sync as a long run: one Durable Object per run, one segment per invocation. */
export class CrmSyncRun extends LongRun.make({ workflow: crmSync, layer: live, inputs }) {}

/**
 * `POST /runs` starts a sync, `GET /runs/<id>` follows it; `POST /execute` runs a (small) sync
 * in one invocation, its checkpoints in the `WORKWAY_STATE` Durable Object.
 */
export default Worker.make({
  workflow: crmSync,
  layer: Layer.merge(live, StateStorage.layer()),
  inputs,
  runs: { binding: "CRM_SYNC_RUNS" }
})
