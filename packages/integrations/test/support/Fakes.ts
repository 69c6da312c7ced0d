import type * as HttpClient from "@effect/platform/HttpClient"
import { type Limit, RateLimiter } from "@workway/http"
import { FakeServer, Samples } from "@workway/testing"
import {
  Chunk,
  type ConfigError,
  type Context,
  Duration,
  Effect,
  Fiber,
  Layer,
  Option,
  Redacted,
  TestClock
} from "effect"

/** Services that every integration layer needs besides its configuration. */
export type Infrastructure = HttpClient.HttpClient | RateLimiter.RateLimiter

/** The HttpClient answering the given fake routes, and an in-memory rate limiter. */
export const infrastructure = (
  routes: Readonly<Record<string, FakeServer.Handler>>,
  limiter: Layer.Layer<RateLimiter.RateLimiter> = RateLimiter.layerMemory
): Layer.Layer<Infrastructure> => Layer.merge(FakeServer.layer(routes), limiter)

/** Builds the service of an integration layer over the given fake routes. */
export const serviceOf = <I, S>(
  tag: Context.Tag<I, S>,
  layer: Layer.Layer<I, ConfigError.ConfigError, Infrastructure>,
  routes: Readonly<Record<string, FakeServer.Handler>>,
  limiter?: Layer.Layer<RateLimiter.RateLimiter>
): Effect.Effect<S, ConfigError.ConfigError> =>
  Effect.provide(tag, layer.pipe(Layer.provide(infrastructure(routes, limiter))))

/** One request as a fake received it. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Wraps a handler so that every request it answers is kept in `seen`. */
export const recording = (handler: FakeServer.Handler, seen: Array<Seen>): FakeServer.Handler => {
  return async (request) => {
    seen.push({
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: await request.clone().text()
    })
    return handler(request)
  }
}

/** Routes of one fake whose requests are recorded. */
export const recorded = (
  fake: { readonly handler: FakeServer.Handler; readonly origins: ReadonlyArray<string> },
  seen: Array<Seen>
): Record<string, FakeServer.Handler> =>
  FakeServer.routesOf({ handler: recording(fake.handler, seen), origins: fake.origins })

/** A rate limiter that records the limits of every call before pacing it in memory. */
export const spyLimiter = (uses: Array<Limit.LimitUse>): Layer.Layer<RateLimiter.RateLimiter> =>
  Layer.effect(
    RateLimiter.RateLimiter,
    Effect.map(RateLimiter.RateLimiter, (inner) => ({
      acquire: (claimed: ReadonlyArray<Limit.LimitUse>) => {
        uses.push(...claimed)
        return inner.acquire(claimed)
      },
      throttled: inner.throttled,
      accepted: inner.accepted
    }))
  ).pipe(Layer.provide(RateLimiter.layerMemory))

/** A sequence of dice rolls for a fake's `random` knob; the last repeats forever. */
export const rolls = (...values: ReadonlyArray<number>) => {
  let index = 0
  return () => values[Math.min(index++, values.length - 1)] ?? 0.99
}

/**
 * Moves the TestClock on by `duration` once the fiber sleeps on something that duration wakes
 * (a retry delay, a limiter wait), letting the in-process fakes answer in the meantime. Answers
 * how long after the current time the earliest such sleep was due, or -1 if the fiber ended.
 */
export const advanceWhenSleeping = <A, E>(
  fiber: Fiber.RuntimeFiber<A, E>,
  duration: Duration.DurationInput
): Effect.Effect<number> =>
  Effect.gen(function* () {
    const millis = Duration.toMillis(Duration.decode(duration))
    for (let turn = 0; turn < 100_000; turn++) {
      if (Option.isSome(yield* Fiber.poll(fiber))) return -1
      const now = yield* TestClock.currentTimeMillis
      const due = Chunk.filter(
        yield* TestClock.sleeps(),
        (wake) => wake > now && wake <= now + millis
      )
      if (Chunk.isNonEmpty(due)) {
        yield* TestClock.adjust(duration)
        return Math.min(...due) - now
      }
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage(`nothing slept within ${Duration.format(duration)}`)
  })

/** The sample credentials as integration options take them. */
export const credentials = {
  zoom: {
    accountId: Samples.credentials.zoom.accountId,
    clientId: Samples.credentials.zoom.clientId,
    clientSecret: Redacted.make<string>(Samples.credentials.zoom.clientSecret)
  },
  notion: { token: Redacted.make<string>(Samples.credentials.notion.token) },
  slack: { token: Redacted.make<string>(Samples.credentials.slack.token) },
  ai: { apiKey: Redacted.make<string>(Samples.credentials.ai.apiKey) }
} as const
