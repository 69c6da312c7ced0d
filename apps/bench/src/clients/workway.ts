import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Limit, RateLimiter, type ServiceConfig } from "@workway/http"
import { Notion } from "@workway/integrations"
import {
  Chunk,
  ConfigProvider,
  Duration,
  Effect,
  Either,
  Layer,
  Logger,
  LogLevel,
  ManagedRuntime,
  Redacted,
  Request,
  Stream
} from "effect"
import type {
  Counts,
  CreateJob,
  Job,
  LookupJob,
  OverheadJob,
  PaginateJob,
  RateLimit,
  Timing
} from "../Job"
import * as SharedStore from "../SharedStore"
import { instantFetch, samplePage, unbounded } from "./baseline"

/** The pipeline's settings for the limit every client is told; retry delays scaled like theirs. */
const settingsOf = (limit: RateLimit, timing: Timing): Partial<ServiceConfig.Defaults> => ({
  limit: Limit.perSecond(limit.rate, limit.burst),
  timeout: Duration.millis(timing.timeoutMs),
  retry: {
    baseDelay: Duration.millis(500 * timing.scale),
    maxDelay: Duration.millis(30_000 * timing.scale),
    maxElapsed: Duration.millis(120_000 * timing.scale)
  }
})

/**
 * What every workway run shares: configuration from the options given in code only (no
 * `NOTION_*` variable of the environment can change a run), and no log lines (each retry logs a
 * warning, which would bury the tables).
 */
const quiet = Layer.mergeAll(
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map())),
  Logger.minimumLogLevel(LogLevel.None)
)

const limiterOf = (store: string | undefined): Layer.Layer<RateLimiter.RateLimiter> =>
  store === undefined
    ? RateLimiter.layerMemory
    : RateLimiter.layer.pipe(Layer.provide(SharedStore.layer(store)))

const notionLayer = (
  options: Notion.Options,
  http: Layer.Layer<HttpClient.HttpClient>,
  limiter: Layer.Layer<RateLimiter.RateLimiter>
) => Notion.layer(options).pipe(Layer.provide(Layer.mergeAll(http, limiter)), Layer.provide(quiet))

const tally = <A, E>(outcomes: ReadonlyArray<Either.Either<A, E>>): Counts => {
  const completed = outcomes.filter(Either.isRight).length
  return { completed, failed: outcomes.length - completed }
}

const createAll = (
  parentPageId: string,
  keys: ReadonlyArray<string>,
  concurrency: number | "unbounded" = "unbounded"
) =>
  Effect.flatMap(Notion.Notion, (notion) =>
    Effect.forEach(
      keys,
      (key) =>
        Effect.either(
          notion.pages.create(
            {
              parent: { page_id: parentPageId },
              properties: { title: Notion.Properties.title(key) }
            },
            // After a reset or a timeout the page may exist: look for it before sending again.
            { findExisting: notion.pages.findChild(parentPageId, key) }
          )
        ),
      { concurrency }
    )
  ).pipe(Effect.map(tally))

const create = (job: CreateJob) => {
  const layer = notionLayer(notionOptions(job), FetchHttpClient.layer, limiterOf(job.store))
  return { layer, program: createAll(job.parentPageId, job.keys) }
}

const notionOptions = (job: CreateJob | LookupJob | PaginateJob): Notion.Options => ({
  token: Redacted.make(job.target.token),
  baseUrl: `${job.target.origin}/v1`,
  version: job.target.version,
  settings: settingsOf(job.limit, job.timing)
})

/**
 * `users.retrieve` for every id, inside a run's request cache the way `Workflow.execute` sets
 * it up: equal lookups of one run reach Notion once.
 */
const lookup = (job: LookupJob) => {
  const layer = notionLayer(notionOptions(job), FetchHttpClient.layer, RateLimiter.layerMemory)
  const program = Effect.gen(function* () {
    const notion = yield* Notion.Notion
    const cache = yield* Request.makeCache({ capacity: 10_000, timeToLive: "1 hour" })
    const outcomes = yield* Effect.forEach(
      job.ids,
      (id) => Effect.either(notion.users.retrieve(id)),
      { concurrency: "unbounded" }
    ).pipe(Effect.withRequestCaching(true), Effect.withRequestCache(cache))
    return tally(outcomes)
  })
  return { layer, program }
}

/** `blocks.children.list`, a stream that fetches a page as it is read: counted, or collected. */
const paginate = (job: PaginateJob) => {
  const layer = notionLayer(notionOptions(job), FetchHttpClient.layer, RateLimiter.layerMemory)
  const program = Effect.flatMap(Notion.Notion, (notion) => {
    const blocks = notion.blocks.children.list(job.blockId, { pageSize: job.pageSize })
    return job.collect
      ? Effect.map(Stream.runCollect(blocks), Chunk.size)
      : Stream.runFold(blocks, 0, (count) => count + 1)
  }).pipe(Effect.map((records): Counts => ({ completed: 1, failed: 0, records })))
  return { layer, program }
}

/** An `HttpClient` whose `fetch` answers a created page at once, in process. */
const instantHttp = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.Fetch, instantFetch(samplePage)))
)

const keysOf = (count: number) => Array.from({ length: count }, (_, i) => `item-${i}`)

/**
 * `pages.create` against an in-process `fetch` that answers a fixed page at once, one call after
 * another like the raw fetch loop it is compared with.
 */
const overhead = (job: OverheadJob) => {
  const layer = notionLayer(
    {
      token: Redacted.make("secret"),
      baseUrl: "http://upstream.invalid/v1",
      settings: settingsOf(unbounded, { scale: 1, timeoutMs: 60_000 })
    },
    instantHttp,
    RateLimiter.layerMemory
  )
  return {
    layer,
    warmup: createAll("parent", keysOf(job.warmup), 1),
    program: createAll("parent", keysOf(job.calls), 1)
  }
}

/**
 * The creates of `overhead` through @effect/platform's `HttpClient` and nothing else of the
 * pipeline: the request, a timeout per attempt as the raw loop has one, the status check and
 * the JSON. What any client built on it pays before workway's own work.
 */
const overheadBare = (job: OverheadJob) => {
  const creates = (keys: ReadonlyArray<string>) =>
    Effect.flatMap(HttpClient.HttpClient, (http) =>
      Effect.forEach(keys, (key) =>
        HttpClientRequest.post("http://upstream.invalid/v1/pages").pipe(
          HttpClientRequest.bearerToken("secret"),
          HttpClientRequest.setHeader("notion-version", "2025-09-03"),
          HttpClientRequest.bodyUnsafeJson({
            parent: { page_id: "parent" },
            properties: { title: { title: [{ text: { content: key } }] } }
          }),
          http.execute,
          Effect.flatMap(HttpClientResponse.filterStatusOk),
          Effect.flatMap((response) => response.json),
          Effect.timeoutFail({ duration: Duration.minutes(1), onTimeout: () => "timeout" }),
          Effect.either
        )
      )
    ).pipe(Effect.map(tally))
  return {
    layer: instantHttp,
    warmup: creates(keysOf(job.warmup)),
    program: creates(keysOf(job.calls))
  }
}

/** Builds a runtime from the layer (and warms it up); answers the run of the program. */
const start = async <R, E>(planned: {
  readonly layer: Layer.Layer<R, E>
  readonly program: Effect.Effect<Counts, unknown, R>
  readonly warmup?: Effect.Effect<unknown, unknown, R>
}): Promise<() => Promise<Counts>> => {
  const runtime = ManagedRuntime.make(planned.layer)
  await runtime.runPromise(planned.warmup ?? Effect.void)
  return () => runtime.runPromise(planned.program)
}

/** Builds workway's layers for a job (and warms it up if asked); answers its run. */
export const prepare = (job: Job): Promise<() => Promise<Counts>> => {
  switch (job.kind) {
    case "create":
      return start(create(job))
    case "lookup":
      return start(lookup(job))
    case "paginate":
      return start(paginate(job))
    case "overhead":
      return job.bare === true ? start(overheadBare(job)) : start(overhead(job))
  }
}
