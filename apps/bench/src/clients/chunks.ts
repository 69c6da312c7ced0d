import { setTimeout as sleep } from "node:timers/promises"
import type { RateLimit, Timing } from "../Job"
import { type Pattern, retryThrottled, succeeds } from "./Pattern"

/** Requests sent together in one chunk. */
const chunkSize = 3

/**
 * Chunks of 3 in parallel with a pause between chunks long enough for the documented rate
 * (1 s at Notion's 3 a second); a 429 is retried up to 3 times after 1 s, 2 s and 4 s.
 */
export const make = (limit: RateLimit, timing: Timing): Pattern => {
  const retry = retryThrottled(3, 1000 * timing.scale)
  const pauseMs = (chunkSize / limit.rate) * 1000
  return {
    all: async (tasks) => {
      const outcomes: Array<boolean> = []
      for (let start = 0; start < tasks.length; start += chunkSize) {
        if (start > 0) await sleep(pauseMs)
        const chunk = tasks.slice(start, start + chunkSize)
        outcomes.push(...(await Promise.all(chunk.map((task) => succeeds(retry(task))))))
      }
      return outcomes
    },
    one: (task) => retry(task)()
  }
}
