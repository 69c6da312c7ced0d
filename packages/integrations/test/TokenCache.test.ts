import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Exit, Fiber, Redacted, TestClock } from "effect"
import * as TokenCache from "../src/internal/TokenCache"

/** A token endpoint that counts its grants and answers when `gate` opens, if given. */
const endpoint = (
  options: { readonly fail?: boolean; readonly gate?: Deferred.Deferred<void> } = {}
) => {
  let grants = 0
  const fetch = Effect.gen(function* () {
    grants++
    if (options.gate !== undefined) yield* Deferred.await(options.gate)
    if (options.fail === true) return yield* Effect.fail(`grant ${grants} refused`)
    return { value: Redacted.make(`token-${grants}`), expiresIn: Duration.minutes(60) }
  })
  return { fetch, grants: () => grants }
}

/** Lets forked fibers run until they block. */
const settle = Effect.yieldNow().pipe(Effect.repeatN(10))

const secretOf = (token: TokenCache.AccessToken) => Redacted.value(token.value)

describe("TokenCache", () => {
  it.effect("callers waiting on a fetch in flight share its token", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const server = endpoint({ gate })
      const cache = yield* TokenCache.make({ fetch: server.fetch, margin: "60 seconds" })

      const fibers = yield* Effect.forEach(Array.from({ length: 5 }), () => Effect.fork(cache.get))
      yield* settle
      yield* Deferred.succeed(gate, undefined)
      const tokens = yield* Effect.forEach(fibers, Fiber.join)

      expect(tokens.map(secretOf)).toEqual(Array(5).fill("token-1"))
      expect(server.grants()).toBe(1)
    })
  )

  it.effect("a failed fetch fails every waiter once, and the next caller fetches again", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const server = endpoint({ fail: true, gate })
      const cache = yield* TokenCache.make({ fetch: server.fetch, margin: "60 seconds" })

      const fibers = yield* Effect.forEach(Array.from({ length: 3 }), () => Effect.fork(cache.get))
      yield* settle
      yield* Deferred.succeed(gate, undefined)
      const exits = yield* Effect.forEach(fibers, Fiber.await)
      const again = yield* Effect.flip(cache.get)

      expect(exits.every(Exit.isFailure)).toBe(true)
      expect(again).toBe("grant 2 refused")
    })
  )

  it.effect("an interrupted fetch lets a waiting caller fetch instead of hanging", () =>
    Effect.gen(function* () {
      const gate = yield* Deferred.make<void>()
      const server = endpoint({ gate })
      const cache = yield* TokenCache.make({ fetch: server.fetch, margin: "60 seconds" })

      const first = yield* Effect.fork(cache.get)
      yield* settle
      const second = yield* Effect.fork(cache.get)
      yield* settle
      yield* Fiber.interrupt(first)
      yield* Deferred.succeed(gate, undefined)

      expect(secretOf(yield* Fiber.join(second))).toBe("token-2")
    })
  )

  it.effect("a token is used until the margin before it expires", () =>
    Effect.gen(function* () {
      const server = endpoint()
      const cache = yield* TokenCache.make({ fetch: server.fetch, margin: "60 seconds" })

      yield* cache.get
      yield* TestClock.adjust("58 minutes")
      expect(secretOf(yield* cache.get)).toBe("token-1")
      yield* TestClock.adjust("1 minute")
      expect(secretOf(yield* cache.get)).toBe("token-2")
    })
  )

  it.effect("invalidating a token that was already replaced keeps the replacement", () =>
    Effect.gen(function* () {
      const server = endpoint()
      const cache = yield* TokenCache.make({ fetch: server.fetch, margin: "60 seconds" })

      const stale = yield* cache.get
      yield* cache.invalidate(stale)
      const fresh = yield* cache.get
      yield* cache.invalidate(stale)

      expect(secretOf(yield* cache.get)).toBe(secretOf(fresh))
      expect(server.grants()).toBe(2)
    })
  )
})
