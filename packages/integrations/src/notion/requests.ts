import type { Client } from "@workway/http"
import { Request } from "effect"
import type { DataSource, User } from "./schemas"

/** Reads a user of the workspace of `account`, once per run when caching is on. */
export class RetrieveUser extends Request.TaggedClass("Notion/RetrieveUser")<
  User,
  Client.CallError,
  { readonly account: string; readonly id: string }
> {}

/** Reads the schema of a data source of the workspace of `account`, once per run. */
export class RetrieveDataSource extends Request.TaggedClass("Notion/RetrieveDataSource")<
  DataSource,
  Client.CallError,
  { readonly account: string; readonly version: string; readonly id: string }
> {}
