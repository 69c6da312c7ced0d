import { FakeNotion, FakeServer, Samples } from "@workway/testing"
import type { Target } from "./Job"

/** How the fake vendor behaves during one run. */
export interface Knobs {
  readonly rateLimit?: { readonly rate: number; readonly burst: number } | undefined
  readonly latency?: { readonly minMs: number; readonly maxMs: number } | undefined
  readonly faults?: FakeServer.Faults | undefined
}

/** A fake vendor served on loopback for one run, with what it counted. */
export interface Upstream<State> {
  readonly target: Target
  readonly fake: FakeServer.Fake<State>
  readonly close: () => Promise<void>
}

/** The page every created page goes under. */
export const parentPageId = Samples.notionParentPageId

/** The version every client sends. */
export const notionVersion = "2025-09-03"

const serve = async <State>(
  fake: FakeServer.Fake<State>,
  token: string,
  version: string
): Promise<Upstream<State>> => {
  const server = await FakeServer.serve(fake.handler)
  return { target: { origin: server.url, token, version }, fake, close: server.close }
}

const uuid = (prefix: number, index: number) =>
  `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`

/** The ids of the users the lookup scenario seeds. */
export const userIds = (count: number): ReadonlyArray<string> =>
  Array.from({ length: count }, (_, index) => uuid(0x05e7, index + 1))

/** A fake Notion on loopback, with `users` people besides its sample users. */
export const notion = async (
  knobs: Knobs,
  seed: { readonly users?: number } = {}
): Promise<Upstream<FakeNotion.NotionState>> => {
  const users = userIds(seed.users ?? 0).map((id, index) => ({
    id,
    name: `Person ${index}`,
    type: "person" as const,
    email: `person${index}@example.com`
  }))
  const fake = FakeNotion.make({
    ...knobs,
    pages: [{ id: parentPageId, title: "Bench" }],
    users: [...Samples.notionUsers, ...users]
  })
  return serve(fake, fake.state.token, notionVersion)
}

/** How the pages under the parent match the keys the clients were asked to create. */
export interface Tally {
  /** Copies beyond the first of every key. */
  readonly duplicates: number
  /** Keys with no page. */
  readonly lost: number
}

/** Counts pages per key among the pages created under the parent. */
export const tally = (state: FakeNotion.NotionState, keys: ReadonlyArray<string>): Tally => {
  const copies = new Map<string, number>(keys.map((key) => [key, 0]))
  for (const page of state.pages.values()) {
    if (page.parent.type !== "page_id" || page.parent.page_id !== parentPageId) continue
    const key = FakeNotion.titleOf(page)
    const count = copies.get(key)
    if (count !== undefined) copies.set(key, count + 1)
  }
  let duplicates = 0
  let lost = 0
  for (const count of copies.values()) {
    if (count === 0) lost++
    else duplicates += count - 1
  }
  return { duplicates, lost }
}

/** The keys of `count` items: `item-00000`, `item-00001`, ... */
export const itemKeys = (count: number, from = 0): ReadonlyArray<string> =>
  Array.from({ length: count }, (_, index) => `item-${String(from + index).padStart(5, "0")}`)

/** Accepted requests per second from `startMs`, one bin per whole second the run touched. */
export const acceptedSeries = (
  stats: Pick<FakeServer.Stats, "acceptedPerSecond">,
  startMs: number,
  endMs: number
): ReadonlyArray<number> => {
  const first = Math.floor(startMs / 1000)
  const last = Math.floor(endMs / 1000)
  return Array.from(
    { length: last - first + 1 },
    (_, i) => stats.acceptedPerSecond.get(first + i) ?? 0
  )
}
