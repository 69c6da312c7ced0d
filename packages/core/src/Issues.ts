import { ParseResult } from "effect"
import type { Issue } from "./Errors"

/** Flattens a schema parse error into issues that name the path of each offending field. */
export const fromParseError = (error: ParseResult.ParseError): ReadonlyArray<Issue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: issue.path.length === 0 ? "$" : `$.${issue.path.map(String).join(".")}`,
    message: issue.message
  }))
