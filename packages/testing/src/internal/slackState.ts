/** A member of the fake Slack workspace. */
export interface SlackUser {
  readonly id: string
  readonly name: string
  readonly real_name: string
  readonly display_name: string
  readonly email: string
  readonly is_bot: boolean
  readonly tz: string
}

/** A conversation: a channel (public or private) or a direct message with one user. */
export interface SlackChannel {
  readonly id: string
  readonly name: string
  readonly is_private: boolean
  readonly is_archived: boolean
  readonly created: number
  /** For a direct message, the user on the other side. */
  readonly user?: string | undefined
}

/** A message stored in a conversation. */
export interface SlackMessage {
  readonly type: "message"
  readonly ts: string
  readonly user: string
  readonly bot_id: string
  readonly text: string
  readonly blocks?: ReadonlyArray<unknown> | undefined
  readonly thread_ts?: string | undefined
  readonly team: string
}

/** The fake Slack workspace. */
export interface SlackState {
  readonly token: string
  readonly teamId: string
  readonly botUserId: string
  readonly users: Map<string, SlackUser>
  /** Conversations in creation order, which is the order `conversations.list` pages through. */
  readonly channels: Map<string, SlackChannel>
  /** Messages of each conversation, oldest first. */
  readonly messages: Map<string, Array<SlackMessage>>
  /** How many messages were posted, which makes each `ts` unique. */
  posted: number
}

/** A user as `users.info` answers it. */
export const renderUser = (state: SlackState, user: SlackUser) => ({
  id: user.id,
  team_id: state.teamId,
  name: user.name,
  deleted: false,
  real_name: user.real_name,
  tz: user.tz,
  is_bot: user.is_bot,
  is_admin: false,
  profile: {
    email: user.email,
    display_name: user.display_name,
    display_name_normalized: user.display_name,
    real_name: user.real_name,
    real_name_normalized: user.real_name
  }
})

/** A conversation as `conversations.list` answers it. */
export const renderChannel = (state: SlackState, channel: SlackChannel) =>
  channel.user !== undefined
    ? {
        id: channel.id,
        created: channel.created,
        is_im: true,
        user: channel.user,
        is_org_shared: false
      }
    : {
        id: channel.id,
        name: channel.name,
        name_normalized: channel.name,
        is_channel: !channel.is_private,
        is_group: false,
        is_im: false,
        is_mpim: false,
        is_private: channel.is_private,
        is_archived: channel.is_archived,
        is_general: channel.name === "general",
        is_member: true,
        created: channel.created,
        topic: { value: "", creator: "", last_set: 0 },
        purpose: { value: "", creator: "", last_set: 0 },
        num_members: state.users.size
      }

/** The type of a conversation, as the `types` argument names it. */
export const typeOf = (channel: SlackChannel): string =>
  channel.user !== undefined ? "im" : channel.is_private ? "private_channel" : "public_channel"

/** Finds a conversation by id, by name (with or without `#`), or opens a DM with a user id. */
export const resolveChannel = (state: SlackState, key: string): SlackChannel | undefined => {
  const byId = state.channels.get(key)
  if (byId !== undefined) return byId
  const name = key.startsWith("#") ? key.slice(1) : key
  for (const channel of state.channels.values()) {
    if (channel.user === undefined && channel.name === name) return channel
  }
  const user = state.users.get(key)
  if (user === undefined) return undefined
  for (const channel of state.channels.values()) {
    if (channel.user === user.id) return channel
  }
  const dm: SlackChannel = {
    id: `D${user.id.slice(1)}`,
    name: user.id,
    is_private: true,
    is_archived: false,
    created: 1_700_000_000,
    user: user.id
  }
  state.channels.set(dm.id, dm)
  return dm
}

/** An opaque Slack cursor naming where the next page starts. */
export const encodeCursor = (kind: string, position: string): string => btoa(`${kind}:${position}`)

/** The position an opaque cursor names, or `undefined` for one this fake did not issue. */
export const decodeCursor = (kind: string, cursor: string): string | undefined => {
  try {
    const text = atob(cursor)
    return text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : undefined
  } catch {
    return undefined
  }
}

/**
 * The `limit` of a paged method: its default when absent, capped at the method's maximum.
 * `undefined` means the value is not a number at all.
 */
export const limitOf = (raw: unknown, fallback: number, maximum: number): number | undefined => {
  if (raw === undefined || raw === "") return fallback
  const value = typeof raw === "number" ? raw : Number(raw)
  if (!Number.isFinite(value)) return undefined
  return value < 1 ? fallback : Math.min(Math.floor(value), maximum)
}
