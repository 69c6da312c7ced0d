import type { Client } from "@workway/http"
import { Request } from "effect"
import type { Format, Message } from "./schemas"

/**
 * Reads one message. Gets issued together are sent in multipart batches; equal gets are
 * answered once per run when request caching is on.
 */
export class GetMessage extends Request.TaggedClass("Gmail/GetMessage")<
  Message,
  Client.CallError,
  {
    readonly account: string
    readonly id: string
    readonly format: Format
    /** Header names for the `metadata` format, comma-separated so requests compare by value. */
    readonly metadataHeaders: string
  }
> {}
