import type { Target } from "../Job"

/** A non-2xx answer, with the vendor's Retry-After when it sent one. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined
  ) {
    super(`Notion answered ${status}`)
    this.name = "HttpError"
  }
}

/** One attempt at a request: resolves with the parsed body or throws. */
export type Task<A> = () => Promise<A>

/** A list page as Notion answers it. */
export interface ListPage {
  readonly results: ReadonlyArray<unknown>
  readonly next_cursor: string | null
  readonly has_more: boolean
}

const retryAfterOf = (response: Response): number | undefined => {
  const value = response.headers.get("retry-after")
  if (value === null || !/^\d+(\.\d+)?$/.test(value.trim())) return undefined
  return Number(value) * 1000
}

/** Sends a request the way hand-written clients do: fetch, then `json()` on success. */
const send = async <A>(
  fetcher: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number
): Promise<A> => {
  const response = await fetcher(url, { ...init, signal: AbortSignal.timeout(timeoutMs) })
  if (!response.ok) {
    await response.arrayBuffer()
    throw new HttpError(response.status, retryAfterOf(response))
  }
  return (await response.json()) as A
}

const notionHeaders = (target: Target, json: boolean): Record<string, string> => ({
  authorization: `Bearer ${target.token}`,
  "notion-version": target.version,
  ...(json ? { "content-type": "application/json" } : {})
})

/** The Notion requests the baselines make, each task one attempt. */
export const operations = (target: Target, timeoutMs: number, fetcher: typeof fetch = fetch) => ({
  /** `POST /v1/pages`: a page titled `key` under `parentPageId`. */
  createPage:
    (parentPageId: string, key: string): Task<unknown> =>
    () =>
      send(
        fetcher,
        `${target.origin}/v1/pages`,
        {
          method: "POST",
          headers: notionHeaders(target, true),
          body: JSON.stringify({
            parent: { page_id: parentPageId },
            properties: { title: { title: [{ text: { content: key } }] } }
          })
        },
        timeoutMs
      ),

  /** `GET /v1/users/{id}`. */
  getUser:
    (id: string): Task<unknown> =>
    () =>
      send(
        fetcher,
        `${target.origin}/v1/users/${id}`,
        { method: "GET", headers: notionHeaders(target, false) },
        timeoutMs
      ),

  /** `GET /v1/blocks/{id}/children`, one page from `cursor`. */
  listChildren:
    (blockId: string, pageSize: number, cursor: string | null): Task<ListPage> =>
    () =>
      send(
        fetcher,
        `${target.origin}/v1/blocks/${blockId}/children?page_size=${pageSize}${
          cursor === null ? "" : `&start_cursor=${cursor}`
        }`,
        { method: "GET", headers: notionHeaders(target, false) },
        timeoutMs
      )
})

/** The operations of one target. */
export type Operations = ReturnType<typeof operations>
