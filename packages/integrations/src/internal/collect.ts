import { Effect, Schema, Stream } from "effect"

/** A stream held more items than the caller allowed to collect. */
export class TooManyItems extends Schema.TaggedError<TooManyItems>()("TooManyItems", {
  /** What was collected, e.g. `stripe customers`. */
  what: Schema.String,
  limit: Schema.Number
}) {
  override get message(): string {
    return `More than ${this.limit} ${this.what}; stream them instead of collecting, or raise the cap`
  }
}

/**
 * Collects a stream into an array of at most `limit` items, failing with `TooManyItems` when a
 * further item exists. It pulls one item past the cap to know, which may fetch one more page;
 * nothing is pulled after that.
 *
 * @example
 * import { collectAtMost } from "./collect"
 * import { Stream } from "effect"
 *
 * const three = collectAtMost(Stream.make(1, 2, 3), 5, "numbers")
 */
export const collectAtMost = <A, E, R>(
  stream: Stream.Stream<A, E, R>,
  limit: number,
  what = "items"
): Effect.Effect<ReadonlyArray<A>, E | TooManyItems, R> =>
  stream.pipe(
    Stream.take(limit + 1),
    Stream.runCollect,
    Effect.flatMap((chunk) =>
      chunk.length > limit
        ? Effect.fail(new TooManyItems({ what, limit }))
        : Effect.succeed(Array.from(chunk))
    )
  )
