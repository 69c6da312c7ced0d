import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema, Stream } from "effect"
import * as Checkpoint from "../src/Checkpoint"
import * as RunReport from "../src/RunReport"
import * as Storage from "../src/Storage"

/** A list of `size` numbers served in pages of `pageSize`, counting the pages read. */
const pagedList = (size: number, pageSize: number) => {
  const reads: Array<string | null> = []
  const pages = (cursor: string | null): Stream.Stream<Checkpoint.Page<number>> =>
    Stream.paginateEffect(cursor, (at) =>
      Effect.sync(() => {
        reads.push(at)
        const from = at === null ? 0 : Number(at)
        const end = Math.min(size, from + pageSize)
        const items = Array.from({ length: end - from }, (_, i) => from + i)
        const nextCursor = end >= size ? null : String(end)
        return [
          { items, nextCursor },
          nextCursor === null ? Option.none() : Option.some(nextCursor)
        ]
      })
    )
  return { reads, pages }
}

const inRun =
  (runId: string) =>
  <A, E, R>(self: Effect.Effect<A, E, R>) =>
    Effect.flatMap(RunReport.makeRecorder({ workflow: "test", version: "1", runId }), (recorder) =>
      Effect.provideService(self, RunReport.RunRecorder, recorder)
    )

class Crash extends Schema.TaggedError<Crash>()("Crash", {}) {}

describe("Checkpoint", () => {
  it.effect("resumes a paged iteration at the page it stopped on", () =>
    Effect.gen(function* () {
      const storage = yield* Storage.makeMemory
      const list = pagedList(25, 10)
      const handled: Array<number> = []
      const crashAt20 = (item: number) =>
        item === 21 ? Effect.fail(new Crash()) : Effect.sync(() => void handled.push(item))

      const first = yield* Checkpoint.forEachPage("numbers", list.pages, crashAt20).pipe(
        inRun("run-1"),
        Effect.provideService(Storage.Storage, storage),
        Effect.flip
      )
      expect(first._tag).toBe("Crash")
      expect(handled).toEqual([...Array.from({ length: 20 }, (_, i) => i), 20])

      const done = yield* Checkpoint.forEachPage("numbers", list.pages, (item) =>
        Effect.sync(() => void handled.push(item))
      ).pipe(inRun("run-1"), Effect.provideService(Storage.Storage, storage))

      expect(done).toMatchObject({ done: 25, finished: true, cursor: null })
      expect(list.reads).toEqual([null, "10", "20", "20"])
      expect(handled.filter((item) => item === 20)).toHaveLength(2)
      expect(new Set(handled).size).toBe(25)
    })
  )

  it.effect("does nothing when the iteration already finished in this run", () =>
    Effect.gen(function* () {
      const list = pagedList(5, 2)
      const once = Checkpoint.forEachPage("numbers", list.pages, () => Effect.void)
      yield* once
      yield* once
      expect(list.reads).toEqual([null, "2", "4"])
    }).pipe(inRun("run-2"), Effect.provide(Storage.layerMemory))
  )

  it.effect("keeps separate positions per run id", () =>
    Effect.gen(function* () {
      const list = pagedList(4, 2)
      yield* Checkpoint.forEachPage("numbers", list.pages, () => Effect.void).pipe(inRun("a"))
      yield* Checkpoint.forEachPage("numbers", list.pages, () => Effect.void).pipe(inRun("b"))
      expect(list.reads).toEqual([null, "2", null, "2"])
    }).pipe(Effect.provide(Storage.layerMemory))
  )

  it.effect("iterates an array in groups and resumes after the last saved group", () =>
    Effect.gen(function* () {
      const items = Array.from({ length: 7 }, (_, i) => i)
      const seen: Array<number> = []
      const failing = Checkpoint.forEach(
        "array",
        items,
        (item) =>
          item === 5 && seen.length < 6
            ? Effect.fail(new Crash())
            : Effect.sync(() => void seen.push(item)),
        { every: 3 }
      )
      yield* Effect.flip(failing)
      const position = yield* failing
      expect(position).toMatchObject({ done: 7, total: 7, finished: true })
      expect(seen).toEqual([0, 1, 2, 3, 4, 3, 4, 5, 6])
    }).pipe(inRun("run-3"), Effect.provide(Storage.layerMemory))
  )

  it("derives rate and ETA from a position", () => {
    const progress = Checkpoint.progressOf(
      { cursor: "x", done: 30, total: 90, finished: false, startedAt: 0, updatedAt: 10_000 },
      10_000
    )
    expect(progress.rate).toBe(3)
    expect(progress.etaMs).toBe(20_000)
  })
})
