/**
 * Notion pages, blocks, data sources, search and users, through an integration token.
 *
 * Cached lookups: `users.retrieve` is deduplicated within a run and cached across runs in
 * `Storage` for 1 hour (namespace `users`); `dataSources.retrieve`, a data source's schema, is
 * deduplicated within a run and cached across runs for 10 minutes (namespace
 * `data-source-schemas`). `PersistentCache.invalidate("notion", namespace)` forgets either. Each
 * lookup counts one cache hit or miss in the run's report. Nothing else is cached.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { IntegrationError } from "@workway/core"
import { Client, type RateLimiter, ServiceConfig } from "@workway/http"
import { type ConfigError, Context, Effect, Layer, Option, Stream } from "effect"
import { accountOf } from "../internal/account"
import * as Paging from "../internal/Paging"
import * as Batches from "./Batches"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import * as Lists from "./Lists"
import * as Lookups from "./Lookups"
import {
  type Block,
  BlockList,
  type CreatePage,
  type DataSource,
  type NewBlock,
  Page,
  type Query,
  type Search,
  type SearchResult,
  type UpdatePage,
  type User
} from "./schemas"
import { atLeast, inTrashVersion } from "./versions"

/** Notion pages, blocks, data sources, search and users, through an integration token. */
export interface NotionService {
  readonly pages: {
    /**
     * Creates a page with any number of children: the first batch is sent with the page, the
     * rest appended in order. Retried after a throttle or a 503, which Notion answers before
     * doing anything. After a failure that may have created the page (a reset, a timeout, a
     * 5xx) it is retried only with `findExisting`, which is run first: the page it finds is the
     * answer, and only when it finds none is the create sent again. Without it such a failure
     * ends the call, since Notion has no idempotency key and a blind retry can duplicate the
     * page. `pages.findChild` finds a page under a page by its title; for a data source, a
     * `dataSources.query` on a property that identifies the row does it.
     *
     * **Note**: when an append after the create fails, the page exists with part of its
     * children; the error says which call failed.
     */
    readonly create: (
      page: CreatePage,
      options?: { readonly findExisting?: Effect.Effect<Option.Option<Page>, Client.CallError> }
    ) => Effect.Effect<Page, Client.CallError>
    /**
     * The page directly under `parentPageId` titled `title`, if there is one: the parent's
     * `child_page` blocks are read page by page until one matches, then that page is retrieved.
     * Reading blocks, unlike search, sees a page as soon as it is created.
     */
    readonly findChild: (
      parentPageId: string,
      title: string
    ) => Effect.Effect<Option.Option<Page>, Client.CallError>
    /** Changes a page's properties, icon or cover, or moves it to or from the trash. */
    readonly update: (pageId: string, changes: UpdatePage) => Effect.Effect<Page, Client.CallError>
    /** A page with its property values. */
    readonly retrieve: (pageId: string) => Effect.Effect<Page, Client.CallError>
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
      /** The blocks directly under a page or block, fetched page by page as they are read. */
      readonly list: (
        blockId: string,
        options?: Paging.ListOptions
      ) => Stream.Stream<Block, Client.CallError>
      /** The pages of `list`, each with the `start_cursor` that resumes after it. */
      readonly listPages: (
        blockId: string,
        options?: Paging.ListOptions
      ) => Stream.Stream<Paging.Page<Block>, Client.CallError>
    }
  }
  readonly dataSources: {
    /**
     * The pages of a data source that match a filter, in the given order, fetched page by page
     * as they are read (`POST /v1/data_sources/{id}/query`). Needs Notion-Version 2025-09-03
     * or later; with an older version it fails with reason `Invalid` before any request.
     */
    readonly query: (dataSourceId: string, query?: Query) => Stream.Stream<Page, Client.CallError>
    /** The pages of `query`, each with the `start_cursor` that resumes after it. */
    readonly queryPages: (
      dataSourceId: string,
      query?: Query
    ) => Stream.Stream<Paging.Page<Page>, Client.CallError>
    /**
     * A data source's schema: its title and properties. Deduplicated within a run and cached
     * across runs for 10 minutes. Needs Notion-Version 2025-09-03 or later.
     */
    readonly retrieve: (dataSourceId: string) => Effect.Effect<DataSource, Client.CallError>
  }
  readonly databases: {
    /**
     * The pages of a database that match a filter (`POST /v1/databases/{id}/query`), the
     * endpoint of Notion-Version 2022-06-28. Deprecated from 2025-09-03, where a database with
     * more than one data source refuses it: query its data sources instead.
     */
    readonly query: (databaseId: string, query?: Query) => Stream.Stream<Page, Client.CallError>
    /** The pages of `query`, each with the `start_cursor` that resumes after it. */
    readonly queryPages: (
      databaseId: string,
      query?: Query
    ) => Stream.Stream<Paging.Page<Page>, Client.CallError>
  }
  /** Pages and data sources shared with the integration whose title matches, page by page. */
  readonly search: (search?: Search) => Stream.Stream<SearchResult, Client.CallError>
  /** The pages of `search`, each with the `start_cursor` that resumes after it. */
  readonly searchPages: (
    search?: Search
  ) => Stream.Stream<Paging.Page<SearchResult>, Client.CallError>
  readonly users: {
    /** A person or bot by id; deduplicated within a run and cached across runs for an hour. */
    readonly retrieve: (userId: string) => Effect.Effect<User, Client.CallError>
  }
}

/** The Notion integration. */
export class Notion extends Context.Tag("@workway/integrations/Notion")<Notion, NotionService>() {}

const service = "notion"

/** The title a `child_page` block shows for its page. */
const childTitle = (block: Block): string | undefined => {
  const content = block.content as { readonly title?: unknown } | undefined
  return typeof content?.title === "string" ? content.title : undefined
}

/** Builds a Notion client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings, version } = configuration
    const account = accountOf(configuration.token)
    const key = `${service}:${account}`
    const limits = [{ key, limit: settings.limit }]
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      ...ServiceConfig.clientOptions(settings),
      authorize: (request) =>
        Effect.succeed(
          request.pipe(
            HttpClientRequest.bearerToken(configuration.token),
            HttpClientRequest.setHeader("Notion-Version", configuration.version)
          )
        ),
      limits: () => limits
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

    const create = (
      page: CreatePage,
      options: { readonly findExisting?: Effect.Effect<Option.Option<Page>, Client.CallError> } = {}
    ) =>
      Effect.gen(function* () {
        const { children = [], ...fields } = page
        // Sizing the fields (their JSON) matters only when children must fit beside them.
        const { initial, rest } =
          children.length === 0
            ? { initial: children, rest: children }
            : Batches.forCreate(children, Batches.sizeOf(fields))
        const created = yield* client.json(
          {
            call: "pages.create",
            method: "POST",
            path: "/pages",
            json: initial.length === 0 ? fields : { ...fields, children: initial }
          },
          Page,
          options
        )
        if (rest.length > 0) yield* append(created.id, rest)
        return created
      })

    const update = (pageId: string, changes: UpdatePage) => {
      const { inTrash, ...fields } = changes
      const trash =
        inTrash === undefined
          ? {}
          : atLeast(version, inTrashVersion)
            ? { in_trash: inTrash }
            : { archived: inTrash }
      return client.json(
        {
          call: "pages.update",
          method: "PATCH",
          path: `/pages/${encodeURIComponent(pageId)}`,
          json: { ...fields, ...trash },
          // Every field is set to a given value, so a repeated update changes nothing more.
          idempotent: true
        },
        Page
      )
    }

    const retrieve = (pageId: string) =>
      client.json(
        { call: "pages.retrieve", method: "GET", path: `/pages/${encodeURIComponent(pageId)}` },
        Page
      )

    const lists = Lists.make(client, version)
    const lookups = Lookups.make(client, account, version)

    // Built when run: a create given it as `findExisting` mostly never needs it.
    const findChild = (parentPageId: string, title: string) =>
      Effect.suspend(() =>
        Paging.items(lists.blockPages(parentPageId)).pipe(
          Stream.filter((block) => block.type === "child_page" && childTitle(block) === title),
          Stream.runHead,
          Effect.flatMap(
            Option.match({
              onNone: () => Effect.succeedNone,
              onSome: (block) => Effect.asSome(retrieve(block.id))
            })
          )
        )
      )

    return Notion.of({
      pages: { create, update, retrieve, findChild },
      blocks: {
        children: {
          append,
          list: (blockId, options) => Paging.items(lists.blockPages(blockId, options)),
          listPages: lists.blockPages
        }
      },
      dataSources: {
        query: (id, query) => Paging.items(lists.dataSourcePages(id, query)),
        queryPages: lists.dataSourcePages,
        retrieve: lookups.dataSource
      },
      databases: {
        query: (id, query) => Paging.items(lists.databasePages(id, query)),
        queryPages: lists.databasePages
      },
      search: (search) => Paging.items(lists.searchPages(search)),
      searchPages: lists.searchPages,
      users: { retrieve: lookups.user }
    })
  })

/** Notion, configured from `NOTION_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Notion, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Notion, Effect.flatMap(config(options), make))
