import { setTimeout as sleep } from "node:timers/promises"
import { HttpError, type Task } from "./requests"

/** How one hand-written client paces and retries its requests. */
export interface Pattern {
  /** Runs independent tasks the way the pattern fans out; answers which ones succeeded. */
  readonly all: (tasks: ReadonlyArray<Task<unknown>>) => Promise<ReadonlyArray<boolean>>
  /** Runs one step of a sequential loop (a page of a listing) with the pattern's pacing. */
  readonly one: <A>(task: Task<A>) => Promise<A>
}

/** Whether a task ended in success, swallowing its error. */
export const succeeds = (task: Task<unknown>): Promise<boolean> =>
  task().then(
    () => true,
    () => false
  )

/**
 * Retries a task that met a 429, as the hand-rolled loops do: up to `retries` times, waiting
 * `baseMs * 2^attempt` before each, whatever the vendor's Retry-After says.
 */
export const retryThrottled =
  (retries: number, baseMs: number) =>
  <A>(task: Task<A>): Task<A> =>
  async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await task()
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 429) || attempt >= retries) throw error
        await sleep(baseMs * 2 ** attempt)
      }
    }
  }

/** Whether an error is worth retrying for p-retry and Bottleneck users: 429, 5xx, network. */
export const isTransient = (error: unknown): boolean =>
  error instanceof HttpError ? error.status === 429 || error.status >= 500 : true
