import Bottleneck from "bottleneck"
import type { RateLimit, Timing } from "../Job"
import type { Pattern } from "./Pattern"
import { succeeds } from "./Pattern"
import { HttpError, type Task } from "./requests"

/**
 * Bottleneck with `minTime` at the rate, `maxConcurrent` at the burst and a reservoir of one
 * second's worth refreshed every second; a 429 is retried up to 3 times from its `failed` event,
 * after the vendor's Retry-After (1 s without one).
 */
export const make = (limit: RateLimit, timing: Timing): Pattern => {
  const limiter = new Bottleneck({
    maxConcurrent: limit.burst,
    minTime: 1000 / limit.rate,
    reservoir: limit.rate,
    reservoirRefreshAmount: limit.rate,
    reservoirRefreshInterval: 1000
  })
  limiter.on("failed", (error: unknown, info: Bottleneck.EventInfoRetryable) => {
    if (!(error instanceof HttpError && error.status === 429) || info.retryCount >= 3) return
    return error.retryAfterMs ?? 1000 * timing.scale
  })
  const one = <A>(task: Task<A>): Promise<A> => limiter.schedule(task)
  return {
    all: (tasks) => Promise.all(tasks.map((task) => succeeds(() => one(task)))),
    one
  }
}
