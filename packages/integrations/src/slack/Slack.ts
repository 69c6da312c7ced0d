/**
 * Slack's Web API through a bot token.
 *
 * Cached lookups: `users.info` and `users.lookupByEmail` are deduplicated within a run (the
 * run's request cache) and cached across runs in `Storage` for 1 hour, namespace `users`
 * (`PersistentCache.invalidate("slack", "users")` forgets them). Each lookup counts one cache
 * hit or miss in the run's report. Nothing else is cached.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Client, type PersistentCache, type RateLimiter, ServiceConfig } from "@workway/http"
import { type ConfigError, Context, Effect, Layer, RequestResolver, type Stream } from "effect"
import { accountOf } from "../internal/account"
import * as Paging from "../internal/Paging"
import * as RunCache from "../internal/RunCache"
import { classify } from "./classify"
import { type Configuration, config, methodTiers, type Options } from "./config"
import { LookupByEmail, UserInfo } from "./requests"
import {
  type Conversation,
  ConversationPage,
  type ListConversations,
  type Message,
  MessagePage,
  PostedMessage,
  type PostMessage,
  type ReadHistory,
  User,
  UserAnswer
} from "./schemas"

/** Slack's Web API, through a bot token. */
export interface SlackService {
  readonly users: {
    /**
     * The member with this email (compared without case); deduplicated within a run and cached
     * across runs for an hour.
     */
    readonly lookupByEmail: (email: string) => Effect.Effect<User, Client.CallError>
    /** The member with this id; deduplicated within a run and cached across runs for an hour. */
    readonly info: (userId: string) => Effect.Effect<User, Client.CallError>
  }
  readonly chat: {
    /**
     * Posts a message, paced per channel as well as per workspace. Not retried after a
     * transient failure (the message may have been posted), only after a throttle.
     */
    readonly postMessage: (message: PostMessage) => Effect.Effect<PostedMessage, Client.CallError>
  }
  readonly conversations: {
    /** The workspace's conversations, fetched page by page as they are read (Tier 2). */
    readonly list: (options?: ListConversations) => Stream.Stream<Conversation, Client.CallError>
    /**
     * The pages of `list`, each with the cursor that resumes after it. A page can hold fewer
     * conversations than `pageSize`, or none, while more follow.
     */
    readonly listPages: (
      options?: ListConversations
    ) => Stream.Stream<Paging.Page<Conversation>, Client.CallError>
    /**
     * The messages of a conversation, newest first, fetched page by page as they are read
     * (Tier 3 unless `historyLimit` says otherwise).
     */
    readonly history: (
      channel: string,
      options?: ReadHistory
    ) => Stream.Stream<Message, Client.CallError>
    /** The pages of `history`, each with the cursor that resumes after it. */
    readonly historyPages: (
      channel: string,
      options?: ReadHistory
    ) => Stream.Stream<Paging.Page<Message>, Client.CallError>
  }
}

/** The Slack integration. */
export class Slack extends Context.Tag("@workway/integrations/Slack")<Slack, SlackService>() {}

const service = "slack"

/** Items per page of the paged methods unless a call says otherwise; Slack advises at most 200. */
export const defaultPageSize = 200

/** Members, by id and by email, kept across runs for an hour. */
export const usersCache: PersistentCache.Declaration<User, typeof User.Encoded> = {
  integration: service,
  namespace: "users",
  ttl: "1 hour",
  schema: User
}

const jsonBody = (value: unknown) =>
  HttpBody.text(JSON.stringify(value), "application/json; charset=utf-8")

/** Builds a Slack client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings, tiers } = configuration
    const account = accountOf(configuration.token)
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      ...ServiceConfig.clientOptions(settings),
      authorize: (request) =>
        Effect.succeed(HttpClientRequest.bearerToken(request, configuration.token)),
      limits: (call) => {
        const tier = methodTiers[call.call]
        const limit =
          call.call === "conversations.history"
            ? configuration.historyLimit
            : tier === undefined
              ? settings.limit
              : tiers[tier]
        return [{ key: `${service}:${account}:${call.call}`, limit }]
      }
    })

    const readUser = (call: string, path: string, query: Record<string, string>) =>
      client
        .json({ call, method: "GET", path, query }, UserAnswer)
        .pipe(Effect.map((answer) => answer.user))

    const byEmail = RequestResolver.fromEffect((request: LookupByEmail) =>
      RunCache.answerCached(
        usersCache,
        `${account}:email:${request.email}`,
        request,
        readUser("users.lookupByEmail", "/users.lookupByEmail", { email: request.email })
      )
    )

    const byId = RequestResolver.fromEffect((request: UserInfo) =>
      RunCache.answerCached(
        usersCache,
        `${account}:id:${request.user}`,
        request,
        readUser("users.info", "/users.info", { user: request.user })
      )
    )

    const lookupByEmail = (email: string) =>
      RunCache.request(
        service,
        () => new LookupByEmail({ account, email: email.trim().toLowerCase() }),
        byEmail
      )

    const info = (userId: string) =>
      RunCache.request(service, () => new UserInfo({ account, user: userId }), byId)

    const postMessage = (message: PostMessage) =>
      client.json(
        {
          call: "chat.postMessage",
          method: "POST",
          path: "/chat.postMessage",
          body: jsonBody({
            channel: message.channel,
            text: message.text,
            ...(message.blocks === undefined ? {} : { blocks: message.blocks }),
            ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs })
          }),
          limits: [
            {
              key: `${service}:${account}:channel:${message.channel}`,
              limit: configuration.channelLimit
            }
          ]
        },
        PostedMessage
      )

    const listPages = (options: ListConversations = {}) =>
      Paging.pages(options.startCursor, (cursor) =>
        client
          .json(
            {
              call: "conversations.list",
              method: "GET",
              path: "/conversations.list",
              query: {
                limit: options.pageSize ?? defaultPageSize,
                cursor,
                types: options.types?.join(","),
                exclude_archived: options.excludeArchived,
                team_id: options.teamId
              }
            },
            ConversationPage
          )
          .pipe(
            Effect.map((page) => ({
              items: page.channels,
              nextCursor: page.responseMetadata.nextCursor
            }))
          )
      )

    const historyPages = (channel: string, options: ReadHistory = {}) =>
      Paging.pages(options.startCursor, (cursor) =>
        client
          .json(
            {
              call: "conversations.history",
              method: "GET",
              path: "/conversations.history",
              query: {
                channel,
                limit: options.pageSize ?? defaultPageSize,
                cursor,
                oldest: options.oldest,
                latest: options.latest,
                inclusive: options.inclusive
              }
            },
            MessagePage
          )
          .pipe(
            Effect.map((page) => ({
              items: page.messages,
              nextCursor: page.responseMetadata.nextCursor
            }))
          )
      )

    return Slack.of({
      users: { lookupByEmail, info },
      chat: { postMessage },
      conversations: {
        list: (options) => Paging.items(listPages(options)),
        listPages,
        history: (channel, options) => Paging.items(historyPages(channel, options)),
        historyPages
      }
    })
  })

/** Slack, configured from `SLACK_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Slack, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Slack, Effect.flatMap(config(options), make))
