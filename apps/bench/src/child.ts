import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { constants, PerformanceObserver } from "node:perf_hooks"
import type { Counts, FromChild, Job, Outcome, ToChild } from "./Job"

/**
 * A client process: receives one job, prepares the client (imports, layers, warm-up), says it
 * is ready, runs the job when told to go, and answers what it counted with its CPU time and
 * resident memory. One process per job keeps the clients' memory and CPU numbers apart.
 */

const send = (message: FromChild): Promise<void> =>
  new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()))

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

/**
 * Makes one request to a server of this process, so that no client pays Node's first `fetch`
 * (its HTTP stack loads and compiles on first use, tens of milliseconds) inside the measured
 * run. Workers' `fetch` is built into the runtime and has no such first call.
 */
const warmFetch = async (): Promise<void> => {
  const server = createServer((_, reply) => reply.end("ok"))
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  try {
    await (await fetch(`http://127.0.0.1:${port}/`)).text()
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

const prepare = async (job: Job): Promise<() => Promise<Counts>> => {
  await warmFetch()
  if (job.client === "workway") return (await import("./clients/workway")).prepare(job)
  return (await import("./clients/baseline")).prepare(job)
}

const waitForGo = (): Promise<void> =>
  new Promise((resolve) => {
    const onMessage = (message: ToChild) => {
      if (message.type !== "go") return
      process.off("message", onMessage)
      resolve()
    }
    process.on("message", onMessage)
  })

/**
 * Keeps the largest heap in use right after a full collection: the memory the client holds
 * alive, without the garbage V8 has not yet collected. A final collection at the end counts too.
 */
const watchLiveHeap = () => {
  let peak = process.memoryUsage().heapUsed
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { readonly detail?: { readonly kind?: number } }).detail?.kind
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        peak = Math.max(peak, process.memoryUsage().heapUsed)
      }
    }
  })
  observer.observe({ entryTypes: ["gc"] })
  return () => {
    observer.disconnect()
    return peak
  }
}

/** Samples the resident set every few milliseconds and keeps the largest value. */
const watchRss = () => {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 5)
  return () => {
    clearInterval(timer)
    return Math.max(peak, process.memoryUsage.rss())
  }
}

const run = async (job: Job): Promise<Outcome> => {
  const start = await prepare(job)
  const go = waitForGo()
  await send({ type: "ready" })
  await go

  globalThis.gc?.()
  const rssStart = process.memoryUsage.rss()
  const heapStart = process.memoryUsage().heapUsed
  const stopWatch = watchRss()
  const stopHeap = watchLiveHeap()
  const cpu = process.cpuUsage()
  const startedAt = Date.now()
  const counts = await start()
  const finishedAt = Date.now()
  const used = process.cpuUsage(cpu)
  const rssPeak = stopWatch()
  const heapPeak = stopHeap()
  return {
    ...counts,
    startedAt,
    finishedAt,
    cpuUs: used.user + used.system,
    rssStartMb: megabytes(rssStart),
    rssPeakMb: megabytes(rssPeak),
    heapStartMb: megabytes(heapStart),
    liveHeapPeakMb: megabytes(heapPeak)
  }
}

process.once("message", (message: ToChild) => {
  if (message.type !== "job") return
  run(message.job).then(
    async (outcome) => {
      await send({ type: "done", outcome })
      process.exit(0)
    },
    async (error: unknown) => {
      await send({
        type: "error",
        message: error instanceof Error ? (error.stack ?? error.message) : String(error)
      })
      process.exit(1)
    }
  )
})
