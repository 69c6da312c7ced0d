/**
 * Text generation and summaries over an OpenAI-compatible chat completions API; `WorkersAi.ts`
 * provides the same service over a Workers AI binding.
 *
 * Nothing is cached: a completion is asked for every time.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Client, type RateLimiter, ServiceConfig } from "@workway/http"
import { type ConfigError, Context, Effect, Layer } from "effect"
import { accountOf } from "../internal/account"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import { summarizeWith } from "./Summaries"
import {
  ChatCompletion,
  type Generated,
  type GenerateText,
  type Message,
  type Summarize,
  type Summary
} from "./schemas"

/** Text generation with an OpenAI-compatible chat completions API. */
export interface AiService {
  /** Completes a prompt. Retried after throttles and transient failures: it has no effects. */
  readonly generateText: (request: GenerateText) => Effect.Effect<Generated, Client.CallError>
  /**
   * Summarises a text of any length: one call when it fits the context, otherwise its parts
   * are summarised and then their summaries, until one summary remains.
   */
  readonly summarize: (request: Summarize) => Effect.Effect<Summary, Client.CallError>
}

/** The AI integration. */
export class Ai extends Context.Tag("@workway/integrations/Ai")<Ai, AiService>() {}

const service = "ai"

/** Builds an AI client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings } = configuration
    const key = `${service}:${accountOf(configuration.apiKey)}`
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      ...ServiceConfig.clientOptions(settings),
      authorize: (request) =>
        Effect.succeed(HttpClientRequest.bearerToken(request, configuration.apiKey)),
      limits: () => [{ key, limit: settings.limit }]
    })

    const generateText = (request: GenerateText) => {
      const messages: ReadonlyArray<Message> = [
        ...(request.system === undefined
          ? []
          : [{ role: "system" as const, content: request.system }]),
        { role: "user", content: request.prompt }
      ]
      return client
        .json(
          {
            call: "chat.completions",
            method: "POST",
            path: "/chat/completions",
            idempotent: true,
            json: {
              model: request.model ?? configuration.model,
              messages,
              ...(request.maxTokens === undefined
                ? {}
                : { max_completion_tokens: request.maxTokens }),
              ...(request.temperature === undefined ? {} : { temperature: request.temperature })
            }
          },
          ChatCompletion
        )
        .pipe(
          Effect.map(
            (completion): Generated => ({
              text: completion.choices[0].message.content ?? "",
              usage: completion.usage,
              finishReason: completion.choices[0].finishReason
            })
          )
        )
    }

    const summarize = (request: Summarize) => summarizeWith(generateText, request)

    return Ai.of({ generateText, summarize })
  })

/** AI, configured from `AI_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Ai, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Ai, Effect.flatMap(config(options), make))
