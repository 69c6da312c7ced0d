import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { dirname, join } from "node:path"

/** A running `prism proxy`. */
export interface Prism {
  /** Where to send requests: `http://127.0.0.1:<port>`. */
  readonly url: string
  /** Stops the proxy and waits for it to exit. */
  readonly close: () => Promise<void>
}

const require = createRequire(import.meta.url)

/** The Prism CLI's entry point, run with this Node so no shell or PATH is involved. */
const cli = join(dirname(require.resolve("@stoplight/prism-cli/package.json")), "dist/index.js")

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once("exit", () => resolve())
  })

/**
 * Starts `prism proxy --errors <spec> <upstream>` on a free port of 127.0.0.1 and waits until
 * it listens. With `--errors`, a request that breaks the spec is answered 422, and an upstream
 * answer that breaks it 500 with an `sl-violations` header naming the fields.
 */
export const startPrism = async (
  spec: string,
  upstream: string,
  timeoutMs = 55_000
): Promise<Prism> => {
  const port = await freePort()
  const child = spawn(
    process.execPath,
    [
      cli,
      "proxy",
      "--errors",
      spec,
      upstream,
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "--cors",
      "false"
    ],
    { stdio: ["ignore", "pipe", "pipe"] }
  )
  let output = ""
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
    await exited(child)
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Prism did not listen within ${timeoutMs} ms:\n${output}`)),
        timeoutMs
      )
      const read = (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes("Prism is listening")) {
          clearTimeout(timer)
          child.stdout?.off("data", read)
          child.stderr?.off("data", read)
          resolve()
        }
      }
      child.stdout?.on("data", read)
      child.stderr?.on("data", read)
      child.once("exit", (code) => {
        clearTimeout(timer)
        reject(new Error(`Prism exited with ${code} before listening:\n${output}`))
      })
    })
  } catch (error) {
    await close()
    throw error
  }
  // Keep draining its logs, or a full pipe would stall the proxy.
  child.stdout?.resume()
  child.stderr?.resume()
  return { url: `http://127.0.0.1:${port}`, close }
}
