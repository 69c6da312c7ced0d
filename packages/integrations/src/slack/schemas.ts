import { Schema } from "effect"
import type * as Paging from "../internal/Paging"

/** A member of a workspace. */
export const User = Schema.Struct({
  id: Schema.String,
  teamId: Schema.optional(Schema.String).pipe(Schema.fromKey("team_id")),
  name: Schema.optional(Schema.String),
  realName: Schema.optional(Schema.String).pipe(Schema.fromKey("real_name")),
  deleted: Schema.optional(Schema.Boolean),
  isBot: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_bot")),
  tz: Schema.optional(Schema.String),
  profile: Schema.optionalWith(
    Schema.Struct({
      email: Schema.optional(Schema.String),
      displayName: Schema.optional(Schema.String).pipe(Schema.fromKey("display_name")),
      realName: Schema.optional(Schema.String).pipe(Schema.fromKey("real_name"))
    }),
    { default: () => ({}) }
  )
})
export type User = typeof User.Type

/** The answer of `users.info` and `users.lookupByEmail`. */
export const UserAnswer = Schema.Struct({ ok: Schema.Literal(true), user: User })

/** A message to post. */
export interface PostMessage {
  /** A channel id (`C0123...`), a channel name (`#general`) or a user id for a DM. */
  readonly channel: string
  /** The message, or its fallback text when `blocks` are given (notifications show it). */
  readonly text: string
  /** Block Kit blocks. */
  readonly blocks?: ReadonlyArray<unknown>
  /** Posts as a reply in the thread of this message. */
  readonly threadTs?: string
}

/** A posted message: where it went, and its timestamp, which identifies it. */
export const PostedMessage = Schema.Struct({
  ok: Schema.Literal(true),
  channel: Schema.String,
  ts: Schema.String
})
export type PostedMessage = typeof PostedMessage.Type

/** A conversation: a public or private channel, a direct message or a group DM. */
export const Conversation = Schema.Struct({
  id: Schema.String,
  name: Schema.optional(Schema.String),
  isChannel: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_channel")),
  isGroup: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_group")),
  isIm: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_im")),
  isMpim: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_mpim")),
  isPrivate: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_private")),
  isArchived: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_archived")),
  isMember: Schema.optional(Schema.Boolean).pipe(Schema.fromKey("is_member")),
  /** For a direct message, the member on the other side. */
  user: Schema.optional(Schema.String),
  created: Schema.optional(Schema.Number),
  numMembers: Schema.optional(Schema.Number).pipe(Schema.fromKey("num_members"))
})
export type Conversation = typeof Conversation.Type

/** A message of a conversation's history. */
export const Message = Schema.Struct({
  type: Schema.optional(Schema.String),
  subtype: Schema.optional(Schema.String),
  /** The message's timestamp, which identifies it within its conversation. */
  ts: Schema.String,
  user: Schema.optional(Schema.String),
  botId: Schema.optional(Schema.String).pipe(Schema.fromKey("bot_id")),
  text: Schema.optionalWith(Schema.String, { default: () => "" }),
  threadTs: Schema.optional(Schema.String).pipe(Schema.fromKey("thread_ts")),
  replyCount: Schema.optional(Schema.Number).pipe(Schema.fromKey("reply_count")),
  blocks: Schema.optional(Schema.Array(Schema.Unknown))
})
export type Message = typeof Message.Type

/** Where a paged answer continues: `next_cursor` is `""` (or absent) after the last page. */
const ResponseMetadata = Schema.optionalWith(
  Schema.Struct({
    nextCursor: Schema.optionalWith(Schema.String, { default: () => "" }).pipe(
      Schema.fromKey("next_cursor")
    )
  }),
  { default: () => ({ nextCursor: "" }) }
).pipe(Schema.fromKey("response_metadata"))

/** One page of `conversations.list`. */
export const ConversationPage = Schema.Struct({
  ok: Schema.Literal(true),
  channels: Schema.Array(Conversation),
  responseMetadata: ResponseMetadata
})

/** One page of `conversations.history`. */
export const MessagePage = Schema.Struct({
  ok: Schema.Literal(true),
  messages: Schema.Array(Message),
  responseMetadata: ResponseMetadata
})

/** Kinds of conversation `conversations.list` can return. */
export type ConversationType = "public_channel" | "private_channel" | "mpim" | "im"

/** Which conversations to list; public channels, archived ones included, by default. */
export interface ListConversations extends Paging.ListOptions {
  readonly types?: ReadonlyArray<ConversationType>
  readonly excludeArchived?: boolean
  /** The workspace, for an org-wide app. */
  readonly teamId?: string
}

/** Which messages of a conversation to read, newest first. */
export interface ReadHistory extends Paging.ListOptions {
  /** Only messages after this timestamp (`ts`). */
  readonly oldest?: string
  /** Only messages before this timestamp (`ts`). */
  readonly latest?: string
  /** Includes messages at exactly `oldest` or `latest`. */
  readonly inclusive?: boolean
}
