import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { IntegrationError, Issues } from "@workway/core"
import { Client, type Limit, type RateLimiter } from "@workway/http"
import {
  Chunk,
  type ConfigError,
  Context,
  Effect,
  Either,
  Layer,
  Option,
  Request,
  RequestResolver,
  Schema,
  Stream
} from "effect"
import { accountOf } from "../internal/account"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import * as Mime from "./mime"
import * as Multipart from "./multipart"
import { GetMessage } from "./requests"
import {
  type GetOptions,
  HistoryList,
  type HistoryPage,
  type Label,
  LabelList,
  type ListHistory,
  type ListMessages,
  Message,
  MessageList,
  type MessagePage,
  type MessageRef,
  type OutgoingMessage,
  SentMessage
} from "./schemas"

/** Gmail through a user's OAuth access token. */
export interface GmailService {
  readonly messages: {
    /**
     * The pages of a listing, fetched one at a time as the stream is read: a `Stream.take`
     * stops fetching. Each page exposes its cursors, to resume with `pageToken` later.
     */
    readonly pages: (query?: ListMessages) => Stream.Stream<MessagePage, Client.CallError>
    /** The messages of a listing (ids and threads only), page by page as they are read. */
    readonly list: (query?: ListMessages) => Stream.Stream<MessageRef, Client.CallError>
    /**
     * A message. Gets issued together (`Effect.forEach(ids, get, { batching: true })`, or
     * `getMany`) go out as multipart batch requests of up to `GMAIL_BATCH_SIZE`; each get still
     * costs its 5 quota units.
     *
     * **Note**: a get that the batch answers with a throttle or a transient error is sent again
     * on its own, with the pipeline's retries, rather than in a later batch.
     */
    readonly get: (id: string, options?: GetOptions) => Effect.Effect<Message, Client.CallError>
    /** Several messages, in the order of their ids, fetched in batches. */
    readonly getMany: (
      ids: Iterable<string>,
      options?: GetOptions
    ) => Effect.Effect<ReadonlyArray<Message>, Client.CallError>
    /**
     * Sends a plain-text message, or a prepared RFC 822 message (`{ raw }`, base64url). Not
     * retried after a transient failure: Gmail has no idempotency key, and a repeated send
     * could deliver the message twice. Throttles are retried.
     */
    readonly send: (
      message: OutgoingMessage | { readonly raw: string; readonly threadId?: string }
    ) => Effect.Effect<SentMessage, Client.CallError>
  }
  readonly history: {
    /** Pages of changes after `startHistoryId`, fetched as they are read. */
    readonly pages: (query: ListHistory) => Stream.Stream<HistoryPage, Client.CallError>
  }
  readonly labels: {
    /** The mailbox's labels, system and user. */
    readonly list: () => Effect.Effect<ReadonlyArray<Label>, Client.CallError>
  }
}

/** The Gmail integration. */
export class Gmail extends Context.Tag("@workway/integrations/Gmail")<Gmail, GmailService>() {}

const service = "gmail"

/** Quota units of each call, as Gmail documents them. */
export const quotaUnits = {
  "messages.list": 5,
  "messages.get": 5,
  "messages.send": 100,
  "history.list": 2,
  "labels.list": 1
} as const

const decodeMessage = Schema.decodeUnknownEither(Schema.parseJson(Message), {
  onExcessProperty: "ignore"
})

/** A query string of repeated keys (`labelIds`, `metadataHeaders`), which `Call.query` cannot hold. */
const repeated = (name: string, values: ReadonlyArray<string> | undefined): string =>
  (values ?? []).map((value) => `${name}=${encodeURIComponent(value)}`).join("&")

const withQuery = (path: string, query: string): string =>
  query === "" ? path : `${path}?${query}`

/** Builds a Gmail client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings, userId } = configuration
    const account = accountOf(configuration.accessToken)
    const user = `/users/${encodeURIComponent(userId)}`
    const apiPath = new URL(configuration.baseUrl).pathname.replace(/\/+$/, "")
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      retry: settings.retry,
      timeout: settings.timeout,
      concurrency: settings.concurrency,
      authorize: (request) =>
        Effect.succeed(HttpClientRequest.bearerToken(request, configuration.accessToken)),
      limits: () => []
    })

    /** The per-user quota, charged the call's units. */
    const quota = (units: number): ReadonlyArray<Limit.LimitUse> => [
      { key: `${service}:${account}:${userId}`, limit: settings.limit, cost: units }
    ]

    const getPath = (request: GetMessage) =>
      withQuery(
        `${user}/messages/${encodeURIComponent(request.id)}`,
        [
          `format=${request.format}`,
          repeated(
            "metadataHeaders",
            request.metadataHeaders === "" ? [] : request.metadataHeaders.split(",")
          )
        ]
          .filter((part) => part !== "")
          .join("&")
      )

    const getOne = (request: GetMessage) =>
      client.json(
        {
          call: "messages.get",
          method: "GET",
          path: getPath(request),
          limits: quota(quotaUnits["messages.get"])
        },
        Message
      )

    const failure = (reason: IntegrationError["reason"], code: string, detail: string) =>
      new IntegrationError({ service, call: "messages.get", reason, attempts: 1, code, detail })

    /** What one part of a batch answer means for its get. */
    const settle = (
      request: GetMessage,
      answer: Multipart.PartAnswer | undefined
    ): Effect.Effect<Message, Client.CallError> => {
      if (answer === undefined) {
        return Effect.fail(
          failure("Decode", "batch_part_missing", `the batch answer had no part for ${request.id}`)
        )
      }
      const verdict = classify(answer)
      switch (verdict._tag) {
        case "Ok":
          return Either.match(decodeMessage(answer.body), {
            onLeft: (error) =>
              Effect.fail(
                failure(
                  "Decode",
                  "decode",
                  `the response did not match the expected shape: ${Issues.fromParseError(error)
                    .slice(0, 3)
                    .map((issue) => `${issue.path}: ${issue.message}`)
                    .join("; ")}`
                )
              ),
            onRight: Effect.succeed
          })
        case "Throttled":
        case "Transient":
          return getOne(request)
        case "Failed":
          return Effect.fail(failure(verdict.reason, verdict.code, verdict.detail))
      }
    }

    const getBatch = (requests: ReadonlyArray<GetMessage>) =>
      Effect.gen(function* () {
        const boundary = `batch_${crypto.randomUUID().replace(/-/g, "")}`
        const parts = requests.map((request, index) => ({
          id: `item-${index}`,
          method: "GET" as const,
          target: `${apiPath}${getPath(request)}`
        }))
        const answer = yield* client.send({
          call: "messages.get.batch",
          method: "POST",
          path: configuration.batchUrl,
          body: HttpBody.text(
            Multipart.encode(parts, boundary),
            `multipart/mixed; boundary=${boundary}`
          ),
          idempotent: true,
          limits: quota(quotaUnits["messages.get"] * requests.length)
        })
        const answerBoundary = Multipart.boundaryOf(answer.headers["content-type"])
        const answers =
          answerBoundary === undefined
            ? new Map<string, Multipart.PartAnswer>()
            : Multipart.decode(answer.body, answerBoundary)
        return requests.map((request, index) => settle(request, answers.get(`item-${index}`)))
      })

    const complete = (chunk: ReadonlyArray<GetMessage>) => {
      const [single] = chunk
      if (chunk.length === 1 && single !== undefined) {
        return Request.completeEffect(single, getOne(single))
      }
      return getBatch(chunk).pipe(
        Effect.matchEffect({
          onFailure: (error) =>
            Effect.forEach(
              chunk,
              (request) => Request.completeEffect(request, Effect.fail(error)),
              {
                discard: true
              }
            ),
          onSuccess: (outcomes) =>
            Effect.forEach(
              chunk,
              (request, index) =>
                Request.completeEffect(
                  request,
                  outcomes[index] ?? Effect.fail(failure("Decode", "batch", "no outcome"))
                ),
              { discard: true, concurrency: "unbounded" }
            )
        })
      )
    }

    const resolver = RequestResolver.makeBatched((requests: ReadonlyArray<GetMessage>) =>
      Effect.forEach(
        Chunk.chunksOf(Chunk.fromIterable(requests), configuration.batchSize),
        (chunk) => complete(Chunk.toReadonlyArray(chunk)),
        { discard: true, concurrency: "unbounded" }
      )
    )

    const get = (id: string, options: GetOptions = {}) =>
      Effect.request(
        new GetMessage({
          account,
          id,
          format: options.format ?? "full",
          metadataHeaders: (options.metadataHeaders ?? []).join(",")
        }),
        resolver
      )

    const getMany = (ids: Iterable<string>, options: GetOptions = {}) =>
      Effect.forEach(ids, (id) => get(id, options), { batching: true, concurrency: "unbounded" })

    const pages = (query: ListMessages = {}): Stream.Stream<MessagePage, Client.CallError> =>
      Stream.paginateChunkEffect(query.pageToken, (pageToken: string | undefined) =>
        client
          .json(
            {
              call: "messages.list",
              method: "GET",
              path: withQuery(`${user}/messages`, repeated("labelIds", query.labelIds)),
              query: {
                q: query.q,
                maxResults: query.maxResults,
                includeSpamTrash: query.includeSpamTrash,
                pageToken
              },
              limits: quota(quotaUnits["messages.list"])
            },
            MessageList
          )
          .pipe(
            Effect.map((page) => {
              const next = page.nextPageToken === "" ? undefined : page.nextPageToken
              const current: MessagePage = {
                messages: page.messages,
                pageToken,
                nextPageToken: next,
                resultSizeEstimate: page.resultSizeEstimate
              }
              return [Chunk.of(current), Option.fromNullable(next)] as const
            })
          )
      )

    const list = (query: ListMessages = {}) =>
      pages(query).pipe(Stream.mapConcat((page) => page.messages))

    const send = (
      message: OutgoingMessage | { readonly raw: string; readonly threadId?: string }
    ) =>
      client.json(
        {
          call: "messages.send",
          method: "POST",
          path: `${user}/messages/send`,
          json:
            "raw" in message
              ? message
              : {
                  raw: Mime.raw(message),
                  ...(message.threadId === undefined ? {} : { threadId: message.threadId })
                },
          limits: quota(quotaUnits["messages.send"])
        },
        SentMessage
      )

    const historyPages = (query: ListHistory): Stream.Stream<HistoryPage, Client.CallError> =>
      Stream.paginateChunkEffect(query.pageToken, (pageToken: string | undefined) =>
        client
          .json(
            {
              call: "history.list",
              method: "GET",
              path: `${user}/history`,
              query: {
                startHistoryId: query.startHistoryId,
                labelId: query.labelId,
                maxResults: query.maxResults,
                pageToken
              },
              limits: quota(quotaUnits["history.list"])
            },
            HistoryList
          )
          .pipe(
            Effect.map((page) => {
              const next = page.nextPageToken === "" ? undefined : page.nextPageToken
              const current: HistoryPage = {
                history: page.history,
                historyId: page.historyId,
                pageToken,
                nextPageToken: next
              }
              return [Chunk.of(current), Option.fromNullable(next)] as const
            })
          )
      )

    const labels = () =>
      client
        .json(
          {
            call: "labels.list",
            method: "GET",
            path: `${user}/labels`,
            limits: quota(quotaUnits["labels.list"])
          },
          LabelList
        )
        .pipe(Effect.map((answer) => answer.labels))

    return Gmail.of({
      messages: { pages, list, get, getMany, send },
      history: { pages: historyPages },
      labels: { list: labels }
    })
  })

/** Gmail, configured from `GMAIL_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Gmail, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Gmail, Effect.flatMap(config(options), make))

/** The first header of that name in a message's top-level part, compared without case. */
export const header = (message: Message, name: string): string | undefined =>
  message.payload?.headers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())
    ?.value
