import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { type Limit, LimitStore } from "@workway/http"
import { Duration, Effect, Layer } from "effect"

/**
 * A limit store shared by the processes of one host over loopback HTTP. It stands in for the
 * Durable Object that shares buckets between isolates in production: one owner of the bucket
 * state, one round trip per reservation, the same `Bucket.reserve` / `Bucket.throttle` math (it
 * wraps the in-memory store, timed by the owner's clock).
 */

/** A limit use as it crosses the wire: the period in milliseconds. */
interface WireUse {
  readonly key: string
  readonly rate: number
  readonly perMs: number
  readonly burst: number
  readonly cost: number
}

const toWire = (uses: ReadonlyArray<Limit.LimitUse>): ReadonlyArray<WireUse> =>
  uses.map((use) => ({
    key: use.key,
    rate: use.limit.rate,
    perMs: Duration.toMillis(use.limit.per),
    burst: use.limit.burst,
    cost: use.cost ?? 1
  }))

const fromWire = (uses: ReadonlyArray<WireUse>): ReadonlyArray<Limit.LimitUse> =>
  uses.map((use) => ({
    key: use.key,
    limit: { rate: use.rate, per: Duration.millis(use.perMs), burst: use.burst },
    cost: use.cost
  }))

/** A running store. */
export interface Server {
  readonly url: string
  /** Reservations and throttle signals it has answered. */
  readonly calls: () => number
  readonly close: () => Promise<void>
}

/** Serves a fresh in-memory store on 127.0.0.1: `POST /reserve` and `POST /throttled`. */
export const serve = async (): Promise<Server> => {
  const store = Effect.runSync(LimitStore.makeMemory())
  let calls = 0
  const server = createServer((request, reply) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => {
      calls++
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
        readonly uses: ReadonlyArray<WireUse>
        readonly pauseMillis?: number
        readonly accepted?: ReadonlyArray<number>
      }
      const uses = fromWire(body.uses)
      if (request.url === "/reserve") {
        const waitMillis = Effect.runSync(store.reserve(uses))
        reply.writeHead(200, { "content-type": "application/json" })
        reply.end(JSON.stringify({ waitMillis }))
      } else if (request.url === "/throttled") {
        Effect.runSync(store.throttled(uses, body.pauseMillis ?? 0, body.accepted))
        reply.writeHead(204).end()
      } else {
        reply.writeHead(404).end()
      }
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls: () => calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

const post = (url: string, body: unknown) =>
  Effect.promise(() =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then((response) => (response.status === 200 ? response.json() : undefined))
  )

/**
 * A store whose buckets live in the server at `url`. A reservation answers a wait measured by
 * the server's clock, so every process paces on one timeline.
 */
export const client = (url: string): LimitStore.LimitStoreService => ({
  reserve: (uses) =>
    Effect.map(
      post(`${url}/reserve`, { uses: toWire(uses) }),
      (answer) => (answer as { readonly waitMillis: number }).waitMillis
    ),
  throttled: (uses, pauseMillis, accepted) =>
    Effect.asVoid(post(`${url}/throttled`, { uses: toWire(uses), pauseMillis, accepted }))
})

/** The limit store at `url`, as a layer. */
export const layer = (url: string): Layer.Layer<LimitStore.LimitStore> =>
  Layer.succeed(LimitStore.LimitStore, client(url))
