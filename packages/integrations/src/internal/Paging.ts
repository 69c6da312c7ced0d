import { Chunk, Effect, Option, Stream } from "effect"
import { collectAtMost, TooManyItems } from "./collect"

export { TooManyItems }

/**
 * One page of a list: its items, the cursor it was fetched with and the cursor of the next.
 * A checkpoint that stores `nextCursor` after handling `items` resumes the list exactly there.
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** The cursor this page was fetched with; `undefined` for the first page of a list. */
  readonly cursor: string | undefined
  /** The cursor of the next page; `undefined` after the last page. */
  readonly nextCursor: string | undefined
}

/** What every list takes besides its filters. */
export interface ListOptions {
  /** Items per request, within the vendor's maximum; fewer requests for larger pages. */
  readonly pageSize?: number
  /** Resumes a list at a `nextCursor` an earlier page gave. */
  readonly startCursor?: string
}

/** One page as a vendor answered it, its next cursor however the vendor marks the end. */
export interface Fetched<A> {
  readonly items: ReadonlyArray<A>
  /** `""`, `null` or absent after the last page. */
  readonly nextCursor: string | null | undefined
}

/** A cursor, or `undefined` where a vendor marks the end with `""` or `null`. */
export const cursorOf = (raw: string | null | undefined): string | undefined =>
  raw === null || raw === undefined || raw === "" ? undefined : raw

/**
 * The pages of a list, fetched one request at a time as the stream is read: a `Stream.take`
 * stops fetching once it has what it needs, and memory holds one page at a time. A page may
 * hold no items while more follow (Slack filters after paging); only the cursor ends a list.
 *
 * @example
 * import { Effect, Stream } from "effect"
 * import * as Paging from "./Paging"
 *
 * const numbers = Paging.pages(undefined, (cursor) => {
 *   const from = Number(cursor ?? "0")
 *   return Effect.succeed({ items: [from, from + 1], nextCursor: from < 4 ? `${from + 2}` : "" })
 * })
 * // Fetches two pages of the three.
 * const firstThree = Paging.items(numbers).pipe(Stream.take(3), Stream.runCollect)
 */
export const pages = <A, E, R>(
  startCursor: string | undefined,
  fetch: (cursor: string | undefined) => Effect.Effect<Fetched<A>, E, R>
): Stream.Stream<Page<A>, E, R> =>
  Stream.paginateChunkEffect(cursorOf(startCursor), (cursor: string | undefined) =>
    Effect.map(fetch(cursor), (fetched) => {
      const nextCursor = cursorOf(fetched.nextCursor)
      const page: Page<A> = { items: fetched.items, cursor, nextCursor }
      return [Chunk.of(page), Option.fromNullable(nextCursor)] as const
    })
  )

/** The items of a list's pages, in order. */
export const items = <A, E, R>(pages: Stream.Stream<Page<A>, E, R>): Stream.Stream<A, E, R> =>
  Stream.mapConcat(pages, (page) => page.items)

/**
 * Collects a list into an array of at most `max` items, failing with `TooManyItems` when more
 * exist, so that a list that grew past what a run can hold fails loudly instead of exhausting
 * memory. It reads one item past `max` to know, which may fetch one more page.
 */
export const collect = <A, E, R>(
  stream: Stream.Stream<A, E, R>,
  options: { readonly max: number; readonly what?: string }
): Effect.Effect<ReadonlyArray<A>, E | TooManyItems, R> =>
  collectAtMost(stream, options.max, options.what)
