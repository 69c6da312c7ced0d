import { FakeServer } from "@workway/testing"
import type { Knobs, Upstream } from "./Upstream"

/**
 * A Notion-shaped listing of one block's children, built on the fakes' shared machinery (its
 * knobs and statistics), for the pagination scenario.
 *
 * **Note**: `FakeNotion` copies and scans every child of the block on each page (and finds the
 * cursor by a linear search), which costs hundreds of milliseconds a page at 100,000 children.
 * This route renders a page by index instead, so the scenario measures the clients rather than
 * the fake. Its answers have the shape of `GET /v1/blocks/{id}/children` and its errors the
 * shape of Notion's.
 */

const stamp = "2026-01-05T09:00:00.000Z"

const idOf = (index: number) => `0000b10c-0000-4000-8000-${index.toString(16).padStart(12, "0")}`

const indexOf = (id: string): number | undefined => {
  const match = /^0000b10c-0000-4000-8000-([0-9a-f]{12})$/.exec(id)
  return match === null ? undefined : Number.parseInt(match[1]!, 16)
}

const error = (status: number, code: string, message: string, headers?: Record<string, string>) =>
  FakeServer.json(
    { object: "error", status, code, message, request_id: crypto.randomUUID() },
    { status, ...(headers === undefined ? {} : { headers }) }
  )

const vendor: FakeServer.Vendor = {
  notFound: () => error(400, "invalid_request_url", "Invalid request URL."),
  throttled: (throttle) =>
    error(429, "rate_limited", "You have been rate limited.", {
      "Retry-After": String(throttle.retryAfterSeconds)
    }),
  unavailable: () => error(503, "service_unavailable", "Notion is unavailable."),
  internalError: (message) => error(500, "internal_server_error", message)
}

/** The block whose children are listed. */
export const blockId = idOf(0)

const render = (index: number) => ({
  object: "block",
  id: idOf(index),
  parent: { type: "block_id", block_id: blockId },
  created_time: stamp,
  last_edited_time: stamp,
  created_by: { object: "user", id: "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d" },
  last_edited_by: { object: "user", id: "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d" },
  has_children: false,
  archived: false,
  in_trash: false,
  type: "paragraph",
  paragraph: {
    rich_text: [
      {
        type: "text",
        text: { content: `Record ${index}`, link: null },
        annotations: {
          bold: false,
          italic: false,
          strikethrough: false,
          underline: false,
          code: false,
          color: "default"
        },
        plain_text: `Record ${index}`,
        href: null
      }
    ],
    color: "default"
  }
})

/** Serves `records` children of `blockId` on loopback, 100 a page at most. */
export const serve = async (
  knobs: Knobs,
  records: number,
  token: string
): Promise<Upstream<{ readonly records: number }>> => {
  const list = FakeServer.route("GET", "/v1/blocks/:id/children", ({ request, url, params }) => {
    if (request.headers.get("authorization") !== `Bearer ${token}`) {
      return error(401, "unauthorized", "API token is invalid.")
    }
    if (params.id !== blockId) return error(404, "object_not_found", "Could not find block.")
    const size = Number(url.searchParams.get("page_size") ?? "100")
    if (!Number.isInteger(size) || size < 1 || size > 100) {
      return error(400, "validation_error", "page_size should be between 1 and 100.")
    }
    const cursor = url.searchParams.get("start_cursor")
    const start = cursor === null ? 1 : indexOf(cursor)
    if (start === undefined || start < 1 || start > records) {
      return error(400, "validation_error", `The start_cursor provided is invalid: ${cursor}`)
    }
    const end = Math.min(records + 1, start + size)
    const results = Array.from({ length: end - start }, (_, i) => render(start + i))
    return FakeServer.json({
      object: "list",
      results,
      next_cursor: end <= records ? idOf(end) : null,
      has_more: end <= records,
      type: "block",
      block: {}
    })
  })
  const { handler, stats } = FakeServer.make({ vendor, routes: [list], knobs })
  const server = await FakeServer.serve(handler)
  return {
    target: { origin: server.url, token, version: "2025-09-03" },
    fake: { handler, stats, state: { records }, origins: [server.url] },
    close: server.close
  }
}
