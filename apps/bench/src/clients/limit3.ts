import type { Timing } from "../Job"
import { type Pattern, retryThrottled, succeeds } from "./Pattern"
import type { Task } from "./requests"

/** Requests in flight at once. */
const inFlight = 3

/** A hand-written limiter of 3 requests in flight, retrying a 429 like the chunked loop. */
export const make = (timing: Timing): Pattern => {
  const retry = retryThrottled(3, 1000 * timing.scale)
  const waiting: Array<() => void> = []
  let running = 0

  const acquire = (): Promise<void> => {
    if (running < inFlight) {
      running++
      return Promise.resolve()
    }
    return new Promise((resolve) => waiting.push(resolve))
  }
  const release = () => {
    const next = waiting.shift()
    if (next === undefined) running--
    else next()
  }
  const limited =
    <A>(task: Task<A>): Task<A> =>
    async () => {
      await acquire()
      try {
        return await task()
      } finally {
        release()
      }
    }

  return {
    all: (tasks) => Promise.all(tasks.map((task) => succeeds(retry(limited(task))))),
    one: (task) => retry(limited(task))()
  }
}
