import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { Paging } from "../src"

/** A list of `total` numbers served `size` at a time; `fetched` records each cursor asked for. */
const numbers = (total: number, size: number, end: "" | null = "") => {
  const fetched: Array<string | undefined> = []
  const fetch = (cursor: string | undefined) =>
    Effect.sync(() => {
      fetched.push(cursor)
      const from = Number(cursor ?? "0")
      const items = Array.from({ length: Math.min(size, total - from) }, (_, i) => from + i)
      return { items, nextCursor: from + size < total ? String(from + size) : end }
    })
  return { fetched, fetch }
}

describe("Paging.pages", () => {
  it.effect("reads every page in order, each with its own cursor and the next", () =>
    Effect.gen(function* () {
      const list = numbers(7, 3)

      const pages = yield* Stream.runCollect(Paging.pages(undefined, list.fetch))

      expect(Array.from(pages)).toEqual([
        { items: [0, 1, 2], cursor: undefined, nextCursor: "3" },
        { items: [3, 4, 5], cursor: "3", nextCursor: "6" },
        { items: [6], cursor: "6", nextCursor: undefined }
      ])
      expect(list.fetched).toEqual([undefined, "3", "6"])
    })
  )

  it.effect("a null cursor ends a list as an empty one does", () =>
    Effect.gen(function* () {
      const list = numbers(4, 2, null)

      const items = yield* Stream.runCollect(Paging.items(Paging.pages(undefined, list.fetch)))

      expect(Array.from(items)).toEqual([0, 1, 2, 3])
      expect(list.fetched).toEqual([undefined, "2"])
    })
  )

  it.effect("Stream.take fetches only the pages it needs", () =>
    Effect.gen(function* () {
      const list = numbers(30, 5)

      const items = yield* Paging.items(Paging.pages(undefined, list.fetch)).pipe(
        Stream.take(7),
        Stream.runCollect
      )

      expect(Array.from(items)).toEqual([0, 1, 2, 3, 4, 5, 6])
      expect(list.fetched).toEqual([undefined, "5"])
    })
  )

  it.effect("a start cursor resumes where an earlier page said the list continues", () =>
    Effect.gen(function* () {
      const list = numbers(9, 3)
      const first = yield* Paging.pages(undefined, list.fetch).pipe(Stream.take(1), Stream.runHead)
      const resumeAt = first._tag === "Some" ? first.value.nextCursor : undefined

      const rest = yield* Stream.runCollect(Paging.items(Paging.pages(resumeAt, list.fetch)))

      expect(Array.from(rest)).toEqual([3, 4, 5, 6, 7, 8])
      expect(list.fetched).toEqual([undefined, "3", "6"])
    })
  )

  it.effect("an empty page in the middle does not end the list", () =>
    Effect.gen(function* () {
      const answers = [
        { items: [1], nextCursor: "a" },
        { items: [], nextCursor: "b" },
        { items: [2, 3], nextCursor: "" }
      ]
      let call = 0

      const items = yield* Stream.runCollect(
        Paging.items(Paging.pages(undefined, () => Effect.sync(() => answers[call++]!)))
      )

      expect(Array.from(items)).toEqual([1, 2, 3])
    })
  )

  it.effect("a failed page fails the stream with the page's error", () =>
    Effect.gen(function* () {
      const error = yield* Stream.runCollect(
        Paging.pages(undefined, (cursor) =>
          cursor === undefined
            ? Effect.succeed({ items: [1], nextCursor: "next" })
            : Effect.fail("page 2 failed" as const)
        )
      ).pipe(Effect.flip)

      expect(error).toBe("page 2 failed")
    })
  )
})

describe("Paging.collect", () => {
  it.effect("collects a list that holds at most max items", () =>
    Effect.gen(function* () {
      const list = numbers(6, 4)

      const items = yield* Paging.collect(Paging.items(Paging.pages(undefined, list.fetch)), {
        max: 6
      })

      expect(items).toEqual([0, 1, 2, 3, 4, 5])
    })
  )

  it.effect("fails with TooManyItems when the list holds more than max, without reading on", () =>
    Effect.gen(function* () {
      const list = numbers(100, 4)

      const error = yield* Paging.collect(Paging.items(Paging.pages(undefined, list.fetch)), {
        max: 5,
        what: "numbers"
      }).pipe(Effect.flip)

      expect(error).toBeInstanceOf(Paging.TooManyItems)
      expect(error).toMatchObject({ what: "numbers", limit: 5 })
      expect(list.fetched).toEqual([undefined, "4"])
    })
  )
})
