import { Duration, Effect, Fiber, Option, TestClock } from "effect"

/**
 * Runs `self` in the background while the TestClock advances by `duration`, then answers its
 * outcome; dies if it is still running by then, so a hang fails the test instead of stalling it.
 */
export const within =
  (duration: Duration.DurationInput) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.gen(function* () {
      const fiber = yield* Effect.fork(self)
      yield* TestClock.adjust(duration)
      const exit = yield* Fiber.poll(fiber)
      if (Option.isNone(exit)) {
        yield* Fiber.interrupt(fiber)
        return yield* Effect.dieMessage(`still running after ${Duration.format(duration)}`)
      }
      return yield* exit.value
    })

/** The TestClock time, in milliseconds. */
export const now = TestClock.currentTimeMillis
