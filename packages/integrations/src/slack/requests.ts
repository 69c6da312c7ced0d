import type { Client } from "@workway/http"
import { Request } from "effect"
import type { User } from "./schemas"

/**
 * Looks a user up by email in the workspace of `account`. Equal requests are answered once per
 * run when request caching is on.
 */
export class LookupByEmail extends Request.TaggedClass("Slack/LookupByEmail")<
  User,
  Client.CallError,
  { readonly account: string; readonly email: string }
> {}

/** Reads a user by id in the workspace of `account`, once per run when caching is on. */
export class UserInfo extends Request.TaggedClass("Slack/UserInfo")<
  User,
  Client.CallError,
  { readonly account: string; readonly user: string }
> {}
