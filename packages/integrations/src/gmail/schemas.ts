import { Schema } from "effect"

/** A message as a listing names it: its id and its thread. */
export const MessageRef = Schema.Struct({ id: Schema.String, threadId: Schema.String })
export type MessageRef = typeof MessageRef.Type

/** The answer of `messages.list`; `nextPageToken` is absent on the last page. */
export const MessageList = Schema.Struct({
  messages: Schema.optionalWith(Schema.Array(MessageRef), { default: () => [] }),
  nextPageToken: Schema.optional(Schema.String),
  resultSizeEstimate: Schema.optionalWith(Schema.Number, { default: () => 0 })
})

/** One header of a message part. */
export const Header = Schema.Struct({ name: Schema.String, value: Schema.String })
export type Header = typeof Header.Type

/** The body of a message part; `data` is base64url. */
export const PartBody = Schema.Struct({
  size: Schema.optional(Schema.Number),
  data: Schema.optional(Schema.String),
  attachmentId: Schema.optional(Schema.String)
})

/** A MIME part of a message, nesting its own parts. */
export interface MessagePart {
  readonly partId?: string | undefined
  readonly mimeType?: string | undefined
  readonly filename?: string | undefined
  readonly headers: ReadonlyArray<Header>
  readonly body?: typeof PartBody.Type | undefined
  readonly parts: ReadonlyArray<MessagePart>
}

interface MessagePartEncoded {
  readonly partId?: string | undefined
  readonly mimeType?: string | undefined
  readonly filename?: string | undefined
  readonly headers?: ReadonlyArray<Header> | undefined
  readonly body?: typeof PartBody.Encoded | undefined
  readonly parts?: ReadonlyArray<MessagePartEncoded> | undefined
}

export const MessagePart: Schema.Schema<MessagePart, MessagePartEncoded> = Schema.Struct({
  partId: Schema.optional(Schema.String),
  mimeType: Schema.optional(Schema.String),
  filename: Schema.optional(Schema.String),
  headers: Schema.optionalWith(Schema.Array(Header), { default: () => [] }),
  body: Schema.optional(PartBody),
  parts: Schema.optionalWith(
    Schema.Array(Schema.suspend((): Schema.Schema<MessagePart, MessagePartEncoded> => MessagePart)),
    { default: () => [] }
  )
})

/**
 * A message as `messages.get` answers it. Which fields are present depends on the format:
 * `minimal` has ids, labels and the snippet; `metadata` adds `payload.headers`; `full` adds the
 * bodies; `raw` carries the whole RFC 822 message in `raw`, base64url-encoded.
 */
export const Message = Schema.Struct({
  id: Schema.String,
  threadId: Schema.String,
  labelIds: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  snippet: Schema.optional(Schema.String),
  historyId: Schema.optional(Schema.String),
  /** When Gmail accepted the message, in milliseconds since the epoch. */
  internalDate: Schema.optional(Schema.NumberFromString),
  sizeEstimate: Schema.optional(Schema.Number),
  payload: Schema.optional(MessagePart),
  raw: Schema.optional(Schema.String)
})
export type Message = typeof Message.Type

/** The formats of `messages.get`. */
export type Format = "minimal" | "full" | "metadata" | "raw"

/** What `messages.send` answers. */
export const SentMessage = Schema.Struct({
  id: Schema.String,
  threadId: Schema.String,
  labelIds: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
})
export type SentMessage = typeof SentMessage.Type

/** One change to the mailbox. */
export const History = Schema.Struct({
  id: Schema.String,
  messages: Schema.optionalWith(Schema.Array(MessageRef), { default: () => [] }),
  messagesAdded: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        message: Schema.Struct({
          id: Schema.String,
          threadId: Schema.String,
          labelIds: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
        })
      })
    ),
    { default: () => [] }
  )
})
export type History = typeof History.Type

/** The answer of `history.list`. */
export const HistoryList = Schema.Struct({
  history: Schema.optionalWith(Schema.Array(History), { default: () => [] }),
  historyId: Schema.String,
  nextPageToken: Schema.optional(Schema.String)
})

/** A label of the mailbox. */
export const Label = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.optional(Schema.String),
  messageListVisibility: Schema.optional(Schema.String),
  labelListVisibility: Schema.optional(Schema.String)
})
export type Label = typeof Label.Type

/** The answer of `labels.list`. */
export const LabelList = Schema.Struct({
  labels: Schema.optionalWith(Schema.Array(Label), { default: () => [] })
})

/** What to list: a search, labels that must all apply, a page size and where to resume. */
export interface ListMessages {
  /** Gmail search syntax, e.g. `from:ada@example.com subject:invoice`. */
  readonly q?: string
  readonly labelIds?: ReadonlyArray<string>
  /** Messages per page, at most 500; Gmail's default is 100. */
  readonly maxResults?: number
  readonly includeSpamTrash?: boolean
  /** Resumes a listing at a page token a page exposed earlier. */
  readonly pageToken?: string
}

/** One page of messages, with the cursor that fetched it and the one that fetches the next. */
export interface MessagePage {
  readonly messages: ReadonlyArray<MessageRef>
  /** The page token this page was fetched with; absent for the first page. */
  readonly pageToken: string | undefined
  /** The token of the next page; absent on the last page. */
  readonly nextPageToken: string | undefined
  readonly resultSizeEstimate: number
}

/** What to read from the history: changes after `startHistoryId`. */
export interface ListHistory {
  readonly startHistoryId: string
  readonly labelId?: string
  readonly maxResults?: number
  readonly pageToken?: string
}

/** One page of history records, with its cursors and the mailbox's current history id. */
export interface HistoryPage {
  readonly history: ReadonlyArray<History>
  readonly historyId: string
  readonly pageToken: string | undefined
  readonly nextPageToken: string | undefined
}

/** A plain-text message to send. */
export interface OutgoingMessage {
  readonly to: string | ReadonlyArray<string>
  readonly subject: string
  readonly text: string
  /** The sender; Gmail uses the mailbox's address when absent. */
  readonly from?: string
  readonly cc?: string | ReadonlyArray<string>
  /** Sends into this thread (its subject and `In-Reply-To` should match). */
  readonly threadId?: string
  /** The `Message-ID` this message answers. */
  readonly inReplyTo?: string
}

/** Options of `messages.get`. */
export interface GetOptions {
  /** `full` by default. */
  readonly format?: Format
  /** With `metadata`, only these headers. */
  readonly metadataHeaders?: ReadonlyArray<string>
}
