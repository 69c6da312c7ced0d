import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { IntegrationError } from "@workway/core"
import { Client, type RateLimiter } from "@workway/http"
import { type ConfigError, Context, Effect, Layer } from "effect"
import { accountOf } from "../internal/account"
import * as Batches from "./Batches"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import { type Block, BlockList, type CreatePage, type NewBlock, Page } from "./schemas"

/** Notion pages and blocks, through an integration token. */
export interface NotionService {
  readonly pages: {
    /**
     * Creates a page with any number of children: the first batch is sent with the page, the
     * rest appended in order. Not retried after a transient failure (a retried create can
     * duplicate the page), only after a throttle.
     *
     * **Note**: when an append after the create fails, the page exists with part of its
     * children; the error says which call failed.
     */
    readonly create: (page: CreatePage) => Effect.Effect<Page, Client.CallError>
  }
  readonly blocks: {
    readonly children: {
      /**
       * Appends blocks under a page or block, in order, in as many requests as Notion's
       * limits need. Answers the created top-level blocks.
       */
      readonly append: (
        blockId: string,
        children: ReadonlyArray<NewBlock>
      ) => Effect.Effect<ReadonlyArray<Block>, Client.CallError>
    }
  }
}

/** The Notion integration. */
export class Notion extends Context.Tag("@workway/integrations/Notion")<Notion, NotionService>() {}

const service = "notion"

/** Builds a Notion client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings } = configuration
    const key = `${service}:${accountOf(configuration.token)}`
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      retry: settings.retry,
      timeout: settings.timeout,
      concurrency: settings.concurrency,
      authorize: (request) =>
        Effect.succeed(
          request.pipe(
            HttpClientRequest.bearerToken(configuration.token),
            HttpClientRequest.setHeader("Notion-Version", configuration.version)
          )
        ),
      limits: () => [{ key, limit: settings.limit }]
    })

    const appendBatch = (blockId: string, entries: ReadonlyArray<Batches.Entry>) =>
      client.json(
        {
          call: "blocks.children.append",
          method: "PATCH",
          path: `/blocks/${encodeURIComponent(blockId)}/children`,
          json: { children: entries.map((entry) => entry.block) }
        },
        BlockList
      )

    const append = (
      blockId: string,
      children: ReadonlyArray<NewBlock>
    ): Effect.Effect<ReadonlyArray<Block>, Client.CallError> =>
      Effect.forEach(Batches.plan(children), (entries) =>
        Effect.gen(function* () {
          const answer = yield* appendBatch(blockId, entries)
          const created = answer.results.slice(-entries.length)
          if (created.length !== entries.length) {
            return yield* new IntegrationError({
              service,
              call: "blocks.children.append",
              reason: "Decode",
              attempts: 1,
              detail: `appended ${entries.length} blocks but Notion answered ${answer.results.length}`
            })
          }
          for (const [index, entry] of entries.entries()) {
            const parent = created[index]
            if (entry.later.length > 0 && parent !== undefined)
              yield* append(parent.id, entry.later)
          }
          return created
        })
      ).pipe(Effect.map((batches) => batches.flat()))

    const create = (page: CreatePage) =>
      Effect.gen(function* () {
        const { children = [], ...fields } = page
        const { initial, rest } = Batches.forCreate(children, Batches.sizeOf(fields))
        const created = yield* client.json(
          {
            call: "pages.create",
            method: "POST",
            path: "/pages",
            json: initial.length === 0 ? fields : { ...fields, children: initial }
          },
          Page
        )
        if (rest.length > 0) yield* append(created.id, rest)
        return created
      })

    return Notion.of({ pages: { create }, blocks: { children: { append } } })
  })

/** Notion, configured from `NOTION_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Notion, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Notion, Effect.flatMap(config(options), make))
