import type { ClientName, Counts, Job, RateLimit, Timing } from "../Job"
import * as Bottleneck from "./bottleneck"
import * as Chunks from "./chunks"
import * as Limit3 from "./limit3"
import * as Naive from "./naive"
import type { Pattern } from "./Pattern"
import * as PQueue from "./pQueue"
import { type ListPage, operations } from "./requests"

/** The pattern of a hand-written client, given the limit it is told. */
export const patternOf = (name: ClientName, limit: RateLimit, timing: Timing): Pattern => {
  switch (name) {
    case "naive":
      return Naive.make()
    case "chunks":
      return Chunks.make(limit, timing)
    case "limit3":
      return Limit3.make(timing)
    case "p-queue":
      return PQueue.make(limit, timing)
    case "bottleneck":
      return Bottleneck.make(limit, timing)
    case "workway":
      throw new Error("workway is not a hand-written pattern")
  }
}

const tally = (outcomes: ReadonlyArray<boolean>): Counts => {
  const completed = outcomes.filter(Boolean).length
  return { completed, failed: outcomes.length - completed }
}

/** A fixed answer to every request, standing in for a vendor that costs nothing. */
export const instantFetch = (body: string): typeof fetch => {
  const answer = async () =>
    new Response(body, { status: 200, headers: { "content-type": "application/json" } })
  return answer as typeof fetch
}

/** A created page as Notion answers it, the body of the in-process upstream. */
export const samplePage = JSON.stringify({
  object: "page",
  id: "59833787-2cf9-4fdf-8782-e53db20768a5",
  created_time: "2026-01-05T09:00:00.000Z",
  last_edited_time: "2026-01-05T09:00:00.000Z",
  parent: { type: "page_id", page_id: "2b1f4e7a-9c3d-4f5e-8a6b-7c8d9e0f1a2b" },
  in_trash: false,
  properties: { title: { id: "title", type: "title", title: [] } },
  url: "https://www.notion.so/598337872cf94fdf8782e53db20768a5"
})

/** A limit that never binds, for measuring the cost of the machinery alone. */
export const unbounded: RateLimit = { rate: 1_000_000, burst: 1_000_000 }

/** Prepares a hand-written client for a job (warming it up if the job asks); answers its run. */
export const prepare = async (job: Job): Promise<() => Promise<Counts>> => {
  if (job.kind === "overhead") {
    const ops = operations(
      { origin: "http://upstream.invalid", token: "secret", version: "2025-09-03" },
      60_000,
      instantFetch(samplePage)
    )
    const pattern = patternOf(job.client, unbounded, { scale: 0.001, timeoutMs: 60_000 })
    const tasks = (count: number) =>
      Array.from({ length: count }, (_, i) => ops.createPage("parent", `item-${i}`))
    await pattern.all(tasks(job.warmup))
    return async () => tally(await pattern.all(tasks(job.calls)))
  }

  const ops = operations(job.target, job.timing.timeoutMs)
  const pattern = patternOf(job.client, job.limit, job.timing)
  switch (job.kind) {
    case "create":
      return async () =>
        tally(await pattern.all(job.keys.map((key) => ops.createPage(job.parentPageId, key))))
    case "lookup":
      return async () => tally(await pattern.all(job.ids.map((id) => ops.getUser(id))))
    case "paginate":
      return async () => {
        // Collected as such loops are usually written, or only counted: the least memory a
        // client that reads page after page can use.
        const records: Array<unknown> = []
        let counted = 0
        let cursor: string | null = null
        try {
          do {
            const page: ListPage = await pattern.one(
              ops.listChildren(job.blockId, job.pageSize, cursor)
            )
            if (job.collect) records.push(...page.results)
            counted += page.results.length
            cursor = page.has_more ? page.next_cursor : null
          } while (cursor !== null)
        } catch {
          return { completed: 0, failed: 1, records: counted }
        }
        return { completed: 1, failed: 0, records: counted }
      }
  }
}
