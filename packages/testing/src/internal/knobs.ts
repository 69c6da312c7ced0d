import type { Faults, Handler, Knobs, RateState, Route, Stats, Vendor } from "../FakeServer"
import * as Bucket from "./bucket"
import { ConnectionReset } from "./reset"
import * as Router from "./router"

type FaultKind = keyof Faults

const faultKinds: ReadonlyArray<FaultKind> = [
  "throttle",
  "serverError",
  "reset",
  "hang",
  "malformed"
]

type Decision =
  | { readonly _tag: "Accept"; readonly rate: RateState | undefined }
  | { readonly _tag: "Throttle"; readonly retryAfterMs: number; readonly injected: boolean }
  | { readonly _tag: "Fault"; readonly kind: Exclude<FaultKind, "throttle"> }

const pickFault = (faults: Faults, roll: number): FaultKind | undefined => {
  let threshold = 0
  for (const kind of faultKinds) {
    threshold += faults[kind] ?? 0
    if (roll < threshold) return kind
  }
  return undefined
}

const abortable = (signal: AbortSignal, ms: number | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer =
      ms === undefined
        ? undefined
        : setTimeout(() => {
            signal.removeEventListener("abort", onAbort)
            resolve()
          }, ms)
    signal.addEventListener("abort", onAbort, { once: true })
  })

const truncate = async (response: Response): Promise<Response> => {
  const text = await response.text()
  return new Response(text.slice(0, Math.floor(text.length / 2)) || "{", {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8" }
  })
}

const fault = async (
  kind: Exclude<FaultKind, "throttle">,
  vendor: Vendor,
  invoke: () => Promise<Response>,
  signal: AbortSignal
): Promise<Response> => {
  switch (kind) {
    case "serverError":
      return vendor.unavailable()
    case "reset":
      throw new ConnectionReset()
    case "hang":
      await abortable(signal, undefined)
      throw signal.reason
    case "malformed":
      return truncate(await invoke())
  }
}

/** Wraps routes with the statistics, rate limit, faults and latency of the knobs. */
export const make = (options: {
  readonly vendor: Vendor
  readonly routes: ReadonlyArray<Route>
  readonly knobs?: Knobs | undefined
}): { readonly handler: Handler; readonly stats: Stats } => {
  const { vendor, routes } = options
  const knobs = options.knobs ?? {}
  const now = knobs.now ?? Date.now
  const random = knobs.random ?? Math.random
  const bucket = knobs.rateLimit === undefined ? undefined : Bucket.make(knobs.rateLimit, now())
  const stats: Stats = {
    requests: 0,
    throttled: 0,
    faults: 0,
    byRoute: {},
    acceptedPerSecond: new Map()
  }

  const decide = (): Decision => {
    let rate: RateState | undefined
    if (bucket !== undefined) {
      const taken = Bucket.take(bucket, now())
      if (taken._tag === "Empty") {
        return { _tag: "Throttle", retryAfterMs: taken.retryAfterMs, injected: false }
      }
      rate = { limit: bucket.burst, remaining: taken.remaining, resetMs: taken.resetMs }
    }
    const kind = knobs.faults === undefined ? undefined : pickFault(knobs.faults, random())
    if (kind === "throttle") return { _tag: "Throttle", retryAfterMs: 1000, injected: true }
    if (kind !== undefined) return { _tag: "Fault", kind }
    return { _tag: "Accept", rate }
  }

  const record = (decision: Decision, arrivedAt: number) => {
    if (decision._tag === "Throttle") stats.throttled++
    if (decision._tag === "Fault" || (decision._tag === "Throttle" && decision.injected)) {
      stats.faults++
    }
    if (decision._tag === "Accept") {
      const second = Math.floor(arrivedAt / 1000)
      stats.acceptedPerSecond.set(second, (stats.acceptedPerSecond.get(second) ?? 0) + 1)
    }
  }

  const invoke = async (found: ReturnType<typeof Router.match>, request: Request) => {
    try {
      if (found.route === undefined) return vendor.notFound(request)
      return await found.route.handle(found.context)
    } catch (error) {
      if (error instanceof ConnectionReset) throw error
      return vendor.internalError(error instanceof Error ? error.message : String(error))
    }
  }

  const handler: Handler = async (request) => {
    const found = Router.match(routes, request)
    const arrivedAt = now()
    stats.requests++
    stats.byRoute[found.key] = (stats.byRoute[found.key] ?? 0) + 1

    const decision = decide()
    record(decision, arrivedAt)

    if (knobs.latency !== undefined) {
      const { minMs, maxMs } = knobs.latency
      await abortable(request.signal, minMs + random() * Math.max(0, maxMs - minMs))
    }

    switch (decision._tag) {
      case "Throttle":
        return vendor.throttled({
          route: found.key,
          limit: bucket?.burst ?? 0,
          retryAfterMs: decision.retryAfterMs,
          retryAfterSeconds: Math.max(1, Math.ceil(decision.retryAfterMs / 1000))
        })
      case "Fault":
        return fault(decision.kind, vendor, () => invoke(found, request), request.signal)
      case "Accept": {
        const response = await invoke(found, request)
        if (decision.rate !== undefined && vendor.rateHeaders !== undefined) {
          for (const [name, value] of Object.entries(
            vendor.rateHeaders(found.key, decision.rate)
          )) {
            response.headers.set(name, value)
          }
        }
        return response
      }
    }
  }
  return { handler, stats }
}
