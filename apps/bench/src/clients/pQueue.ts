import PQueue from "p-queue"
import pRetry from "p-retry"
import type { RateLimit, Timing } from "../Job"
import { isTransient, type Pattern, succeeds } from "./Pattern"
import type { Task } from "./requests"

/**
 * p-queue holding starts to the limit (`burst` starts per `burst / rate` seconds) and p-retry
 * around each queued attempt, so that retries are paced too: 4 retries on a 429, a 5xx or a
 * network error, from 1 s doubling.
 */
export const make = (limit: RateLimit, timing: Timing): Pattern => {
  const queue = new PQueue({
    intervalCap: limit.burst,
    interval: (limit.burst / limit.rate) * 1000
  })
  const one = <A>(task: Task<A>): Promise<A> =>
    pRetry(() => queue.add(task), {
      retries: 4,
      minTimeout: 1000 * timing.scale,
      factor: 2,
      shouldRetry: ({ error }) => isTransient(error)
    })
  return {
    all: (tasks) => Promise.all(tasks.map((task) => succeeds(() => one(task)))),
    one
  }
}
