import { randomUUID } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

/**
 * A rate-limited server that shares no code with the vendor fakes: a textbook token bucket in
 * front of `POST /v1/pages`, written the way a third party would write one. It answers 429 with
 * a `Retry-After` in whole seconds or as an HTTP date (alternately), and a share of requests with
 * a bare 503 before doing anything. It stands in for the independent server the pipeline is held
 * to: nothing in the client may depend on how the fakes word or time their answers.
 */

/** What the server counted. */
export interface Counts {
  requests: number
  throttled: number
  unavailable: number
  /** Pages created per title. */
  readonly created: Map<string, number>
  /** Requests let through the bucket per `Math.floor(Date.now() / 1000)`. */
  readonly acceptedPerSecond: Map<number, number>
}

/** A running server. */
export interface Server {
  readonly origin: string
  readonly counts: Counts
  readonly close: () => Promise<void>
}

/** Options: the bucket, the share of 503s and the dice that pick them. */
export interface Options {
  readonly rate: number
  readonly burst: number
  readonly unavailable: number
  readonly random?: () => number
}

const titleOf = (body: string): string => {
  try {
    const parsed = JSON.parse(body) as {
      properties?: { title?: { title?: ReadonlyArray<{ text?: { content?: string } }> } }
    }
    return (parsed.properties?.title?.title ?? []).map((run) => run.text?.content ?? "").join("")
  } catch {
    return ""
  }
}

const page = (title: string) =>
  JSON.stringify({
    object: "page",
    id: randomUUID(),
    created_time: new Date().toISOString(),
    last_edited_time: new Date().toISOString(),
    parent: { type: "page_id", page_id: "2b1f4e7a-9c3d-4f5e-8a6b-7c8d9e0f1a2b" },
    in_trash: false,
    properties: {
      title: { id: "title", type: "title", title: [{ type: "text", plain_text: title }] }
    },
    url: "https://www.notion.so/page"
  })

/** Serves the bucket on 127.0.0.1 at a random port. */
export const serve = async (options: Options): Promise<Server> => {
  const random = options.random ?? Math.random
  let tokens = options.burst
  let updatedAt = performance.now()
  let throttleCount = 0
  const counts: Counts = {
    requests: 0,
    throttled: 0,
    unavailable: 0,
    created: new Map(),
    acceptedPerSecond: new Map()
  }

  const take = (): number => {
    const now = performance.now()
    tokens = Math.min(options.burst, tokens + ((now - updatedAt) / 1000) * options.rate)
    updatedAt = now
    if (tokens >= 1) {
      tokens -= 1
      return 0
    }
    return ((1 - tokens) / options.rate) * 1000
  }

  const server = createServer((request, reply) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      counts.requests++
      const wait = take()
      if (wait > 0) {
        counts.throttled++
        const seconds = Math.max(1, Math.ceil(wait / 1000))
        const retryAfter =
          throttleCount++ % 2 === 0
            ? String(seconds)
            : new Date(Date.now() + seconds * 1000 + 1000).toUTCString()
        reply.writeHead(429, { "content-type": "application/json", "retry-after": retryAfter })
        reply.end(JSON.stringify({ object: "error", status: 429, code: "rate_limited" }))
        return
      }
      const second = Math.floor(Date.now() / 1000)
      counts.acceptedPerSecond.set(second, (counts.acceptedPerSecond.get(second) ?? 0) + 1)
      if (random() < options.unavailable) {
        counts.unavailable++
        reply.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable")
        return
      }
      if (request.method !== "POST" || request.url !== "/v1/pages") {
        reply.writeHead(404, { "content-type": "application/json" }).end("{}")
        return
      }
      const title = titleOf(Buffer.concat(chunks).toString("utf8"))
      counts.created.set(title, (counts.created.get(title) ?? 0) + 1)
      reply.writeHead(200, { "content-type": "application/json" }).end(page(title))
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    counts,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}
