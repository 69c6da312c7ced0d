import type { Client } from "@workway/http"
import { Effect, Stream } from "effect"
import * as Paging from "../internal/Paging"
import { BlockList, PageList, type Query, type Search, SearchList } from "./schemas"
import { atLeast, dataSourcesVersion, withoutDataSources } from "./versions"

/** Items per page unless a call says otherwise: Notion's maximum. */
export const defaultPageSize = 100

/** A list page as the pager reads it: `next_cursor` counts only while `has_more`. */
const listed = <A>(list: {
  readonly results: ReadonlyArray<A>
  readonly nextCursor: string | null
  readonly hasMore: boolean
}): Paging.Fetched<A> => ({
  items: list.results,
  nextCursor: list.hasMore ? list.nextCursor : null
})

/** Body fields of a POST list: its page size, and its cursor after the first page. */
const paging = (options: Paging.ListOptions, cursor: string | undefined) => ({
  page_size: options.pageSize ?? defaultPageSize,
  ...(cursor === undefined ? {} : { start_cursor: cursor })
})

/** The paged reads of Notion, over a client that sends `version` as `Notion-Version`. */
export const make = (client: Client.ServiceClient, version: string) => {
  const blockPages = (blockId: string, options: Paging.ListOptions = {}) =>
    Paging.pages(options.startCursor, (cursor) =>
      client
        .json(
          {
            call: "blocks.children.list",
            method: "GET",
            path: `/blocks/${encodeURIComponent(blockId)}/children`,
            query: { page_size: options.pageSize ?? defaultPageSize, start_cursor: cursor }
          },
          BlockList
        )
        .pipe(Effect.map(listed))
    )

  const queryPages = (call: string, path: string, query: Query) =>
    Paging.pages(query.startCursor, (cursor) =>
      client
        .json(
          {
            call,
            method: "POST",
            path,
            json: {
              ...(query.filter === undefined ? {} : { filter: query.filter }),
              ...(query.sorts === undefined ? {} : { sorts: query.sorts }),
              ...paging(query, cursor)
            },
            // A query only reads: repeating it is harmless.
            idempotent: true
          },
          PageList
        )
        .pipe(Effect.map(listed))
    )

  const dataSourcePages = (dataSourceId: string, query: Query = {}) =>
    atLeast(version, dataSourcesVersion)
      ? queryPages(
          "dataSources.query",
          `/data_sources/${encodeURIComponent(dataSourceId)}/query`,
          query
        )
      : Stream.fail(withoutDataSources("dataSources.query", version))

  const databasePages = (databaseId: string, query: Query = {}) =>
    queryPages("databases.query", `/databases/${encodeURIComponent(databaseId)}/query`, query)

  const searchPages = (search: Search = {}) =>
    Paging.pages(search.startCursor, (cursor) =>
      client
        .json(
          {
            call: "search",
            method: "POST",
            path: "/search",
            json: {
              ...(search.query === undefined ? {} : { query: search.query }),
              ...(search.filter === undefined
                ? {}
                : { filter: { property: "object", value: search.filter.value } }),
              ...(search.sort === undefined
                ? {}
                : { sort: { timestamp: "last_edited_time", direction: search.sort.direction } }),
              ...paging(search, cursor)
            },
            idempotent: true
          },
          SearchList
        )
        .pipe(Effect.map(listed))
    )

  return { blockPages, dataSourcePages, databasePages, searchPages }
}
