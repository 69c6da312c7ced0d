import type { Client, PersistentCache } from "@workway/http"
import { Effect, RequestResolver } from "effect"
import * as RunCache from "../internal/RunCache"
import { RetrieveDataSource, RetrieveUser } from "./requests"
import { DataSource, User } from "./schemas"
import { atLeast, dataSourcesVersion, withoutDataSources } from "./versions"

const service = "notion"

/** Users of the workspace, kept across runs for an hour. */
export const usersCache: PersistentCache.Declaration<User, typeof User.Encoded> = {
  integration: service,
  namespace: "users",
  ttl: "1 hour",
  schema: User
}

/** Data source schemas, kept across runs for 10 minutes. */
export const dataSourceSchemasCache: PersistentCache.Declaration<
  DataSource,
  typeof DataSource.Encoded
> = {
  integration: service,
  namespace: "data-source-schemas",
  ttl: "10 minutes",
  schema: DataSource
}

/**
 * Notion's cached lookups, over a client of the workspace `account` that sends `version`:
 * deduplicated within a run, then answered from `Storage` while younger than their TTL.
 */
export const make = (client: Client.ServiceClient, account: string, version: string) => {
  const users = RequestResolver.fromEffect((request: RetrieveUser) =>
    RunCache.answerCached(
      usersCache,
      `${account}:${request.id}`,
      request,
      client.json(
        { call: "users.retrieve", method: "GET", path: `/users/${encodeURIComponent(request.id)}` },
        User
      )
    )
  )

  const dataSources = RequestResolver.fromEffect((request: RetrieveDataSource) =>
    RunCache.answerCached(
      dataSourceSchemasCache,
      `${account}:${request.version}:${request.id}`,
      request,
      client.json(
        {
          call: "dataSources.retrieve",
          method: "GET",
          path: `/data_sources/${encodeURIComponent(request.id)}`
        },
        DataSource
      )
    )
  )

  const user = (userId: string) =>
    RunCache.request(service, () => new RetrieveUser({ account, id: userId }), users)

  const dataSource = (dataSourceId: string) =>
    atLeast(version, dataSourcesVersion)
      ? RunCache.request(
          service,
          () => new RetrieveDataSource({ account, version, id: dataSourceId }),
          dataSources
        )
      : Effect.fail(withoutDataSources("dataSources.retrieve", version))

  return { user, dataSource }
}
