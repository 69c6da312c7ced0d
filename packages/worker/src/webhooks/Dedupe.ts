import type { StorageError } from "@workway/core"
import { Clock, Duration, Effect, Schema } from "effect"
import { WorkerEnv } from "../Bindings"
import * as AtomicState from "../state/AtomicState"
import { isDurableObjectNamespace } from "../state/internal/binding"
import * as StateStorage from "../state/StateStorage"
import type { StateStore } from "../state/StateStore"
import type { Service } from "./Vendor"

/**
 * How long a delivered event id is remembered: longer than any vendor keeps redelivering (Stripe
 * retries for up to three days, Zoom and Slack for hours).
 */
export const ttl: Duration.Duration = Duration.days(4)

/** What is stored under an event's key: the run it started and when. */
const Marker = Schema.Struct({ runId: Schema.String, receivedAt: Schema.Number })

/** The state key recording that an event was delivered. */
export const keyOf = (service: Service, id: string): string => `webhook:${service}:${id}`

/** Records event ids so that each starts one run, however often it is delivered. */
export interface Dedupe {
  /**
   * Records the event and answers `true` the first time it is delivered, `false` for every
   * later delivery within `ttl`.
   */
  readonly first: (
    service: Service,
    id: string,
    runId: string
  ) => Effect.Effect<boolean, StorageError, WorkerEnv>
}

/**
 * Event ids recorded in the `WORKWAY_STATE` Durable Object when it is bound (exactly once across
 * every isolate), else in this isolate's memory.
 *
 * **Note**: without `WORKWAY_STATE` an event delivered twice to two isolates, or after this one
 * was evicted, starts two runs; bind the Durable Object in production.
 */
export const make = (binding: string = StateStorage.defaultBinding): Dedupe => {
  let memory: AtomicState.AtomicStateService | undefined
  let warned = false

  const atomicFor = (env: Readonly<Record<string, unknown>>) =>
    Effect.gen(function* () {
      const namespace = env[binding]
      if (isDurableObjectNamespace(namespace)) {
        return StateStorage.makeAtomic(namespace as DurableObjectNamespace<StateStore>)
      }
      if (!warned) {
        warned = true
        yield* Effect.logWarning(
          `${binding} is not bound: webhook events are deduplicated in this isolate only`
        )
      }
      memory ??= (yield* AtomicState.makeMemory).atomic
      return memory
    })

  return {
    first: (service, id, runId) =>
      Effect.gen(function* () {
        const atomic = yield* atomicFor(yield* WorkerEnv)
        const receivedAt = yield* Clock.currentTimeMillis
        return yield* atomic.setIfAbsent(keyOf(service, id), Marker, { runId, receivedAt }, { ttl })
      })
  }
}
