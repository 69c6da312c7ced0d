import { Schema } from "effect"

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
