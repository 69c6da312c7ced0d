import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Client, type Limit, type RateLimiter, ServiceConfig } from "@workway/http"
import { Chunk, type ConfigError, Context, Effect, Layer, Option, Stream } from "effect"
import { accountOf } from "../internal/account"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import * as Gets from "./gets"
import * as Mime from "./mime"
import { GetMessage } from "./requests"
import {
  type GetOptions,
  type History,
  HistoryList,
  type HistoryPage,
  type Label,
  LabelList,
  type ListHistory,
  type ListMessages,
  type Message,
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
    /** The changes after `startHistoryId`, oldest first, page by page as they are read. */
    readonly list: (query: ListHistory) => Stream.Stream<History, Client.CallError>
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
      ...ServiceConfig.clientOptions(settings),
      authorize: (request) =>
        Effect.succeed(HttpClientRequest.bearerToken(request, configuration.accessToken)),
      limits: () => []
    })

    /** The per-user quota, charged the call's units. */
    const quota = (units: number): ReadonlyArray<Limit.LimitUse> => [
      { key: `${service}:${account}:${userId}`, limit: settings.limit, cost: units }
    ]

    const resolver = Gets.resolver({
      client,
      user,
      apiPath,
      batchUrl: configuration.batchUrl,
      batchSize: configuration.batchSize,
      units: quotaUnits["messages.get"],
      quota
    })

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
              path: Gets.withQuery(`${user}/messages`, Gets.repeated("labelIds", query.labelIds)),
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
      history: {
        pages: historyPages,
        list: (query: ListHistory) =>
          historyPages(query).pipe(Stream.mapConcat((page) => page.history))
      },
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
