import { describe, expect, it } from "@effect/vitest"
import { BudgetExhausted } from "@workway/core"
import { Array as Arr, Effect, Either, Fiber, Option, TestClock } from "effect"
import type * as Client from "../src/Client"
import * as Invocation from "../src/Invocation"
import * as Limit from "../src/Limit"
import * as RateLimiter from "../src/RateLimiter"
import { within } from "./support/Clock"
import { client } from "./support/Services"
import * as Upstream from "./support/Upstream"

const retrieve: Client.Call = { call: "pages.retrieve", method: "GET", path: "/pages/p1" }
const page = Upstream.json(200, { object: "page", id: "p1" })
const unavailable = Upstream.json(
  503,
  { code: "service_unavailable", message: "Try later" },
  {
    "retry-after": "1"
  }
)

const budgetOf = (subrequests: number) =>
  Effect.provideServiceEffect(Invocation.Invocation, Invocation.make({ subrequests }))

describe("the subrequest budget", () => {
  it.effect("the request beyond the budget fails as BudgetExhausted and is never sent", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(Upstream.sequence(unavailable, unavailable, page))
      const notion = yield* client(upstream)

      const [first, second] = yield* within("1 minute")(
        Effect.gen(function* () {
          const first = yield* notion.send(retrieve)
          const second = yield* Effect.either(notion.send(retrieve))
          const used = yield* Effect.map(Invocation.current, (invocation) => invocation.used)
          return [first, second, yield* used] as const
        }).pipe(budgetOf(3))
      )

      expect(first.status).toBe(200)
      expect(upstream.arrivals).toHaveLength(3)
      expect(Either.isLeft(second)).toBe(true)
      const error = Either.getLeft(second).pipe(Option.getOrThrow)
      expect(error._tag).toBe("BudgetExhausted")
      expect(error).toBeInstanceOf(BudgetExhausted)
      expect(error).toMatchObject({ service: "notion", call: "pages.retrieve", limit: 3 })
      expect(error.message).toContain("continue the run in a new invocation")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("retries count against the budget and stop when it is spent", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => unavailable)
      const notion = yield* client(upstream)

      const error = yield* within("1 minute")(Effect.flip(notion.send(retrieve)).pipe(budgetOf(2)))

      expect(upstream.arrivals).toHaveLength(2)
      expect(error._tag).toBe("BudgetExhausted")
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("concurrent calls share one budget", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => page)
      const notion = yield* client(upstream, {
        limits: () => [{ key: "notion", limit: Limit.perSecond(100) }]
      })

      const outcomes = yield* within("1 minute")(
        Effect.forEach(Arr.range(1, 5), () => Effect.either(notion.send(retrieve)), {
          concurrency: "unbounded"
        }).pipe(budgetOf(3))
      )

      expect(upstream.arrivals).toHaveLength(3)
      expect(outcomes.filter(Either.isRight)).toHaveLength(3)
      expect(outcomes.filter(Either.isLeft).map((outcome) => outcome.left._tag)).toEqual([
        "BudgetExhausted",
        "BudgetExhausted"
      ])
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("a call over budget fails at once, without waiting for a rate-limit slot", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => page)
      const notion = yield* client(upstream, {
        limits: () => [{ key: "notion", limit: Limit.perMinute(1, 1) }]
      })

      const fiber = yield* Effect.fork(
        Effect.zip(notion.send(retrieve), Effect.flip(notion.send(retrieve))).pipe(budgetOf(1))
      )
      yield* TestClock.adjust("1 millis")
      const done = yield* Fiber.poll(fiber)

      expect(Option.isSome(done)).toBe(true)
      const [, error] = yield* Fiber.join(fiber)
      expect(error._tag).toBe("BudgetExhausted")
      expect(upstream.arrivals).toHaveLength(1)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )

  it.effect("without an invocation there is no budget", () =>
    Effect.gen(function* () {
      const upstream = yield* Upstream.make(() => page)
      const notion = yield* client(upstream, {
        limits: () => [{ key: "notion", limit: Limit.perSecond(1000) }]
      })

      yield* within("1 minute")(
        Effect.forEach(Arr.range(1, 60), () => notion.send(retrieve), { concurrency: 6 })
      )

      expect(upstream.arrivals).toHaveLength(60)
    }).pipe(Effect.provide(RateLimiter.layerMemory))
  )
})
