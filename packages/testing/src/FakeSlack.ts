import * as FakeServer from "./FakeServer"
import { isObject, type JsonObject } from "./internal/json"
import * as Slack from "./internal/slackState"
import * as Samples from "./Samples"

export type { SlackChannel, SlackMessage, SlackState, SlackUser } from "./internal/slackState"

/** Options of the fake Slack: knobs, the bot token and the workspace's seed. */
export interface Options extends FakeServer.Knobs {
  readonly token?: string | undefined
  readonly users?: ReadonlyArray<Slack.SlackUser> | undefined
  readonly channels?: ReadonlyArray<Slack.SlackChannel> | undefined
}

/** The origin of the Slack Web API. */
export const origins: ReadonlyArray<string> = ["https://slack.com"]

const ok = (body: Record<string, unknown>) => FakeServer.json({ ok: true, ...body })

const failed = (error: string, status = 200) => FakeServer.json({ ok: false, error }, { status })

const vendor: FakeServer.Vendor = {
  notFound: (request) => {
    const method = new URL(request.url).pathname.replace(/^\/api\//, "")
    return FakeServer.json(
      { ok: false, error: "unknown_method", req_method: method },
      { status: 404 }
    )
  },
  throttled: (throttle) =>
    FakeServer.json(
      { ok: false, error: "ratelimited" },
      { status: 429, headers: { "Retry-After": String(throttle.retryAfterSeconds) } }
    ),
  unavailable: () => failed("service_unavailable", 503),
  internalError: (message) =>
    FakeServer.json({ ok: false, error: "internal_error", detail: message }, { status: 500 })
}

/** The arguments of a call: the query string, overridden by a JSON or form-encoded body. */
const argsOf = async ({
  request,
  url
}: FakeServer.RouteContext): Promise<JsonObject | undefined> => {
  const query = Object.fromEntries(url.searchParams)
  const text = request.method === "GET" ? "" : await request.text()
  if (text.trim() === "") return query
  if (!(request.headers.get("content-type") ?? "").includes("application/json")) {
    return { ...query, ...Object.fromEntries(new URLSearchParams(text)) }
  }
  try {
    const body: unknown = JSON.parse(text)
    return isObject(body) ? { ...query, ...body } : undefined
  } catch {
    return undefined
  }
}

const stringArg = (args: JsonObject, name: string): string =>
  typeof args[name] === "string" ? args[name] : ""

const blocksOf = (raw: unknown): ReadonlyArray<unknown> | "invalid" | undefined => {
  if (raw === undefined || raw === "") return undefined
  let value = raw
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw)
    } catch {
      return "invalid"
    }
  }
  return Array.isArray(value) && value.length <= 50 && value.every(isObject) ? value : "invalid"
}

/** Makes a fake Slack answering `https://slack.com/api/<method>`. */
export const make = (options: Options = {}): FakeServer.Fake<Slack.SlackState> => {
  const now = options.now ?? Date.now
  const users = options.users ?? Samples.slackUsers
  const state: Slack.SlackState = {
    token: options.token ?? Samples.credentials.slack.token,
    teamId: Samples.slackTeamId,
    botUserId: users.find((user) => user.is_bot)?.id ?? "U0BOT00001",
    users: new Map(users.map((user) => [user.id, user])),
    channels: new Map((options.channels ?? Samples.slackChannels).map((c) => [c.id, c])),
    messages: new Map(),
    posted: 0
  }

  const postMessage = (args: JsonObject) => {
    const channel = Slack.resolveChannel(state, stringArg(args, "channel"))
    if (channel === undefined) return failed("channel_not_found")
    if (channel.is_archived) return failed("is_archived")
    const blocks = blocksOf(args.blocks)
    if (blocks === "invalid") return failed("invalid_blocks")
    const text = stringArg(args, "text")
    if (text === "" && blocks === undefined) return failed("no_text")
    if (text.length > 40_000) return failed("msg_too_long")

    state.posted++
    const threadTs = stringArg(args, "thread_ts")
    const message: Slack.SlackMessage = {
      type: "message",
      ts: `${Math.floor(now() / 1000)}.${String(state.posted % 1_000_000).padStart(6, "0")}`,
      user: state.botUserId,
      bot_id: `B${state.botUserId.slice(1)}`,
      text,
      team: state.teamId,
      ...(blocks === undefined ? {} : { blocks }),
      ...(threadTs === "" ? {} : { thread_ts: threadTs })
    }
    const stored = state.messages.get(channel.id) ?? []
    stored.push(message)
    state.messages.set(channel.id, stored)
    return ok({ channel: channel.id, ts: message.ts, message })
  }

  const userInfo = (args: JsonObject) => {
    const user = state.users.get(stringArg(args, "user"))
    return user === undefined
      ? failed("user_not_found")
      : ok({ user: Slack.renderUser(state, user) })
  }

  const lookupByEmail = (args: JsonObject) => {
    const email = stringArg(args, "email").toLowerCase()
    const user = [...state.users.values()].find(
      (candidate) => candidate.email.toLowerCase() === email
    )
    return user === undefined
      ? failed("users_not_found")
      : ok({ user: Slack.renderUser(state, user) })
  }

  const conversationsList = (args: JsonObject) => {
    const limit = Slack.limitOf(args.limit, 100, 1000)
    if (limit === undefined) return failed("invalid_limit")
    const all = [...state.channels.values()]
    const cursor = stringArg(args, "cursor")
    const position =
      cursor === "" ? 0 : all.findIndex((c) => c.id === Slack.decodeCursor("team", cursor))
    if (position < 0) return failed("invalid_cursor")

    // Slack filters a page after cutting it, so a page can hold fewer than `limit` items
    // (even none) while more remain.
    const types = (stringArg(args, "types") || "public_channel").split(",").map((t) => t.trim())
    const excludeArchived = args.exclude_archived === true || args.exclude_archived === "true"
    const page = all
      .slice(position, position + limit)
      .filter((channel) => types.includes(Slack.typeOf(channel)))
      .filter((channel) => !(excludeArchived && channel.is_archived))
    const next = all[position + limit]
    return ok({
      channels: page.map((channel) => Slack.renderChannel(state, channel)),
      response_metadata: {
        next_cursor: next === undefined ? "" : Slack.encodeCursor("team", next.id)
      }
    })
  }

  const conversationsHistory = (args: JsonObject) => {
    const channel = state.channels.get(stringArg(args, "channel"))
    if (channel === undefined) return failed("channel_not_found")
    const limit = Slack.limitOf(args.limit, 100, 999)
    if (limit === undefined) return failed("invalid_limit")

    const inclusive = args.inclusive === true || args.inclusive === "true" || args.inclusive === "1"
    const oldest = Number(stringArg(args, "oldest") || "0")
    const latest = Number(stringArg(args, "latest") || "Infinity")
    const messages = [...(state.messages.get(channel.id) ?? [])].reverse().filter((message) => {
      const ts = Number(message.ts)
      return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest
    })
    const cursor = stringArg(args, "cursor")
    const position =
      cursor === "" ? 0 : messages.findIndex((m) => m.ts === Slack.decodeCursor("next_ts", cursor))
    if (position < 0) return failed("invalid_cursor")

    const next = messages[position + limit]
    return ok({
      messages: messages.slice(position, position + limit),
      has_more: next !== undefined,
      pin_count: 0,
      response_metadata: {
        next_cursor: next === undefined ? "" : Slack.encodeCursor("next_ts", next.ts)
      }
    })
  }

  const authTest = () =>
    ok({
      url: "https://workway-fake.slack.com/",
      team: "Workway (fake)",
      user: state.users.get(state.botUserId)?.name ?? "workway",
      team_id: state.teamId,
      user_id: state.botUserId,
      bot_id: `B${state.botUserId.slice(1)}`
    })

  const methods: Record<string, (args: JsonObject) => Response> = {
    "auth.test": authTest,
    "chat.postMessage": postMessage,
    "users.info": userInfo,
    "users.lookupByEmail": lookupByEmail,
    "conversations.list": conversationsList,
    "conversations.history": conversationsHistory
  }

  const call =
    (method: (args: JsonObject) => Response): FakeServer.Route["handle"] =>
    async (context) => {
      const args = await argsOf(context)
      if (args === undefined) return failed("invalid_json")
      const header = context.request.headers.get("authorization") ?? ""
      const token = header.startsWith("Bearer ")
        ? header.slice("Bearer ".length)
        : stringArg(args, "token")
      if (token === "") return failed("not_authed")
      if (token !== state.token) return failed("invalid_auth")
      return method(args)
    }

  const routes = Object.entries(methods).flatMap(([name, method]) => [
    FakeServer.route("POST", `/api/${name}`, call(method)),
    FakeServer.route("GET", `/api/${name}`, call(method))
  ])
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs: options })
  return { handler, state, stats, origins }
}
