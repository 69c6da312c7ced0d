import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import type { Handler, Server } from "../FakeServer"

const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "host"])

const maxBodyBytes = 32 * 1024 * 1024

const readBody = (message: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    message.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBodyBytes) chunks.push(chunk)
    })
    message.on("end", () => resolve(size > maxBodyBytes ? undefined : Buffer.concat(chunks)))
    message.on("error", reject)
  })

const toRequest = (message: IncomingMessage, origin: string, body: Buffer, signal: AbortSignal) => {
  const headers = new Headers()
  for (let index = 0; index + 1 < message.rawHeaders.length; index += 2) {
    const name = message.rawHeaders[index]!
    if (!hopByHop.has(name.toLowerCase())) headers.append(name, message.rawHeaders[index + 1]!)
  }
  const method = message.method ?? "GET"
  const target = message.url ?? "/"
  const url = target.startsWith("/") ? `${origin}${target}` : new URL(target).href
  const hasBody = method !== "GET" && method !== "HEAD" && body.length > 0
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody ? { body: new Uint8Array(body) } : {})
  })
}

const respond = async (
  handler: Handler,
  message: IncomingMessage,
  reply: ServerResponse,
  origin: string
): Promise<void> => {
  const controller = new AbortController()
  reply.on("close", () => {
    if (!reply.writableFinished) {
      controller.abort(new DOMException("The client closed the connection", "AbortError"))
    }
  })
  try {
    const body = await readBody(message)
    if (body === undefined) {
      reply.writeHead(413, { "content-type": "text/plain" }).end("Request body too large")
      return
    }
    const response = await handler(toRequest(message, origin, body, controller.signal))
    const bytes = Buffer.from(await response.arrayBuffer())
    const headers = Object.fromEntries(response.headers)
    headers["content-length"] = String(bytes.length)
    reply.writeHead(response.status, headers).end(bytes)
  } catch {
    // A reset fault, a client that went away, or a body that could not be read: in every
    // case the connection is dropped rather than answered.
    message.socket.destroy()
  }
}

/** Listens on 127.0.0.1 and answers every request with the handler. */
export const serve = async (handler: Handler, port: number): Promise<Server> => {
  const sockets = new Set<Socket>()
  let origin = ""
  const server = createServer((message, reply) => void respond(handler, message, reply, origin))
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  origin = `http://127.0.0.1:${address.port}`

  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const socket of sockets) socket.destroy()
    })
  return { url: origin, port: address.port, close }
}
