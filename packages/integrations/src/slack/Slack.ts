import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Client, type RateLimiter } from "@workway/http"
import { type ConfigError, Context, Effect, Layer, RequestResolver } from "effect"
import { accountOf } from "../internal/account"
import * as RunCache from "../internal/RunCache"
import { classify } from "./classify"
import { type Configuration, config, methodTiers, type Options } from "./config"
import { LookupByEmail, UserInfo } from "./requests"
import { PostedMessage, type PostMessage, type User, UserAnswer } from "./schemas"

/** Slack's Web API, through a bot token. */
export interface SlackService {
  readonly users: {
    /** The member with this email (compared without case); deduplicated within a run. */
    readonly lookupByEmail: (email: string) => Effect.Effect<User, Client.CallError>
    /** The member with this id; deduplicated within a run. */
    readonly info: (userId: string) => Effect.Effect<User, Client.CallError>
  }
  readonly chat: {
    /**
     * Posts a message, paced per channel as well as per workspace. Not retried after a
     * transient failure (the message may have been posted), only after a throttle.
     */
    readonly postMessage: (message: PostMessage) => Effect.Effect<PostedMessage, Client.CallError>
  }
}

/** The Slack integration. */
export class Slack extends Context.Tag("@workway/integrations/Slack")<Slack, SlackService>() {}

const service = "slack"

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
      retry: settings.retry,
      timeout: settings.timeout,
      concurrency: settings.concurrency,
      authorize: (request) =>
        Effect.succeed(HttpClientRequest.bearerToken(request, configuration.token)),
      limits: (call) => {
        const tier = methodTiers[call.call]
        return [
          {
            key: `${service}:${account}:${call.call}`,
            limit: tier === undefined ? settings.limit : tiers[tier]
          }
        ]
      }
    })

    const byEmail = RequestResolver.fromEffect((request: LookupByEmail) => {
      RunCache.answering(request)
      return client
        .json(
          {
            call: "users.lookupByEmail",
            method: "GET",
            path: "/users.lookupByEmail",
            query: { email: request.email }
          },
          UserAnswer
        )
        .pipe(Effect.map((answer) => answer.user))
    })

    const byId = RequestResolver.fromEffect((request: UserInfo) => {
      RunCache.answering(request)
      return client
        .json(
          { call: "users.info", method: "GET", path: "/users.info", query: { user: request.user } },
          UserAnswer
        )
        .pipe(Effect.map((answer) => answer.user))
    })

    const lookupByEmail = (email: string) =>
      RunCache.request(
        service,
        new LookupByEmail({ account, email: email.trim().toLowerCase() }),
        byEmail
      )

    const info = (userId: string) =>
      RunCache.request(service, new UserInfo({ account, user: userId }), byId)

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

    return Slack.of({ users: { lookupByEmail, info }, chat: { postMessage } })
  })

/** Slack, configured from `SLACK_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Slack, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Slack, Effect.flatMap(config(options), make))
