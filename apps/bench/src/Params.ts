import type { FakeServer } from "@workway/testing"
import type { RateLimit } from "./Job"

/** Notion's documented average, which the bench speeds up. */
export const documentedRate = 3

/** Latency of the fake's answers, uniform between the two (ms). */
export interface Latency {
  readonly minMs: number
  readonly maxMs: number
}

/** Sizes of the scenarios that create pages. */
export interface CreateParams {
  /** Pages to create. */
  readonly items: number
  /** The vendor's real limit. */
  readonly limit: RateLimit
  readonly latency: Latency
  /** Per-attempt timeout of every client (ms). */
  readonly timeoutMs: number
}

/** Sizes of every scenario. */
export interface Params {
  readonly steady: CreateParams
  readonly misconfigured: CreateParams & { readonly told: number }
  readonly multiProcess: CreateParams & { readonly processes: number }
  readonly lookups: {
    readonly lookups: number
    readonly unique: number
    readonly limit: RateLimit
    readonly latency: Latency
    readonly timeoutMs: number
  }
  readonly pagination: {
    readonly records: number
    readonly pageSize: number
    readonly limit: RateLimit
    readonly latency: Latency
    readonly timeoutMs: number
  }
  readonly overhead: { readonly calls: number; readonly warmup: number }
  readonly chaos: CreateParams & { readonly faults: FakeServer.Faults }
  /** Creates against a plain token bucket that is not one of the fakes. */
  readonly independent: {
    readonly items: number
    readonly limit: RateLimit
    /** Share of requests answered 503 before anything is created. */
    readonly unavailable: number
    readonly timeoutMs: number
  }
}

const notionAtTenTimes: RateLimit = { rate: 30, burst: 5 }
const latency: Latency = { minMs: 30, maxMs: 90 }
const timeoutMs = 3000

const create: CreateParams = { items: 150, limit: notionAtTenTimes, latency, timeoutMs }

/**
 * The full run: Notion at ten times its real pace (30 requests a second, bursts of 5, answers
 * in 30 to 90 ms), sized so that every scenario takes seconds per client.
 */
export const full: Params = {
  steady: create,
  misconfigured: { ...create, told: 2 },
  multiProcess: { ...create, processes: 3 },
  lookups: { lookups: 150, unique: 15, limit: notionAtTenTimes, latency, timeoutMs },
  pagination: {
    records: 100_000,
    pageSize: 100,
    limit: { rate: 150, burst: 10 },
    latency: { minMs: 1, maxMs: 3 },
    timeoutMs
  },
  overhead: { calls: 5000, warmup: 1000 },
  chaos: {
    ...create,
    items: 100,
    faults: { throttle: 0.1, serverError: 0.05, reset: 0.02, hang: 0.01 }
  },
  independent: { items: 300, limit: notionAtTenTimes, unavailable: 0.02, timeoutMs }
}

const tiny: CreateParams = {
  items: 20,
  limit: { rate: 40, burst: 5 },
  latency: { minMs: 5, maxMs: 15 },
  timeoutMs: 1000
}

/** Tiny sizes, for a quick look and for the harness's own test. */
export const quick: Params = {
  steady: tiny,
  misconfigured: { ...tiny, told: 2 },
  multiProcess: { ...tiny, items: 18, processes: 3 },
  lookups: { ...tiny, lookups: 20, unique: 4 },
  pagination: { ...tiny, records: 2000, pageSize: 100, limit: { rate: 200, burst: 10 } },
  overhead: { calls: 300, warmup: 50 },
  chaos: { ...full.chaos, ...tiny },
  independent: { items: 20, limit: tiny.limit, unavailable: 0.05, timeoutMs: tiny.timeoutMs }
}

/** Bench seconds per vendor second at this limit: 0.1 when 30 a second stands for Notion's 3. */
export const scaleOf = (limit: RateLimit): number => documentedRate / limit.rate
