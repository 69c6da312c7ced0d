import * as FakeServer from "./FakeServer"
import { isObject, type JsonObject } from "./internal/json"
import * as Blocks from "./internal/notionBlocks"
import * as Pages from "./internal/notionPages"
import * as Respond from "./internal/notionResponses"
import * as Notion from "./internal/notionState"
import * as Validation from "./internal/notionValidation"
import * as Samples from "./Samples"

export type {
  NotionBlock,
  NotionDatabase,
  NotionPage,
  NotionState,
  NotionUser
} from "./internal/notionState"
export { titleOf } from "./internal/notionState"
export type { Limits } from "./internal/notionValidation"

/** Options of the fake Notion: knobs, the integration token, limits and the workspace's seed. */
export interface Options extends FakeServer.Knobs {
  readonly token?: string | undefined
  readonly limits?: Partial<Validation.Limits> | undefined
  readonly users?: ReadonlyArray<Notion.NotionUser> | undefined
  readonly databases?: ReadonlyArray<Notion.NotionDatabase> | undefined
  /** Top-level pages shared with the integration. */
  readonly pages?: ReadonlyArray<{ readonly id: string; readonly title: string }> | undefined
}

/** The origin of the Notion API. */
export const origins: ReadonlyArray<string> = ["https://api.notion.com"]

const vendor: FakeServer.Vendor = {
  notFound: () => Respond.notionError(400, "invalid_request_url", "Invalid request URL."),
  throttled: (throttle) =>
    Respond.notionError(
      429,
      "rate_limited",
      "You have been rate limited. Please try again in a few minutes.",
      { "Retry-After": String(throttle.retryAfterSeconds) }
    ),
  unavailable: () =>
    Respond.notionError(
      503,
      "service_unavailable",
      "Notion is unavailable. This can occur when the time to respond to a request takes longer " +
        "than 60 seconds, the maximum request timeout. Please try again later."
    ),
  internalError: (message) =>
    Respond.notionError(500, "internal_server_error", `Unexpected error occurred: ${message}`)
}

/** A validated call: its route context, JSON body (`{}` when empty) and `Notion-Version`. */
interface Call {
  readonly context: FakeServer.RouteContext
  readonly body: JsonObject
  readonly version: string
}

const seedPage = (page: { readonly id: string; readonly title: string }, index: number) => {
  const id = Notion.normalizeId(page.id) ?? page.id
  const title = Validation.richText(
    [{ text: { content: page.title } }],
    "seed",
    Validation.defaultLimits
  )
  const seeded: Notion.NotionPage = {
    id,
    parent: { type: "workspace", workspace: true },
    properties: {
      title: { id: "title", type: "title", title: title._tag === "Valid" ? title.value : [] }
    },
    createdTime: "2026-01-05T09:00:00.000Z",
    lastEditedTime: "2026-01-05T09:00:00.000Z",
    inTrash: false,
    icon: null,
    cover: null,
    sequence: -1000 + index
  }
  return [id, seeded] as const
}

/** Makes a fake Notion answering the real paths of `api.notion.com`. */
export const make = (options: Options = {}): FakeServer.Fake<Notion.NotionState> => {
  const users = options.users ?? Samples.notionUsers
  const state: Notion.NotionState = {
    token: options.token ?? Samples.credentials.notion.token,
    botId: users.find((user) => user.type === "bot")?.id ?? Samples.notionBotId,
    users: new Map(users.map((user) => [user.id, user])),
    databases: new Map((options.databases ?? [Samples.notionDatabase]).map((d) => [d.id, d])),
    pages: new Map(
      (options.pages ?? [{ id: Samples.notionParentPageId, title: "Meeting notes" }]).map(seedPage)
    ),
    blocks: new Map(),
    children: new Map(),
    created: 0
  }
  const env: Respond.NotionEnv = {
    state,
    limits: { ...Validation.defaultLimits, ...options.limits },
    now: options.now ?? Date.now
  }

  const call =
    (handle: (call: Call) => Response): FakeServer.Route["handle"] =>
    async (context) => {
      const { request } = context
      if (request.headers.get("authorization") !== `Bearer ${state.token}`) {
        return Respond.notionError(401, "unauthorized", "API token is invalid.")
      }
      const version = request.headers.get("notion-version")
      if (version === null) {
        return Respond.notionError(
          400,
          "missing_version",
          "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."
        )
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
        return Respond.validationError(
          `Notion-Version header failed validation: \`${version}\` is not a valid version.`
        )
      }

      const bytes = new Uint8Array(await request.arrayBuffer())
      if (bytes.length > env.limits.payloadBytes) {
        return Respond.validationError(
          `Request body too large: ${bytes.length} bytes is more than the limit of ${env.limits.payloadBytes} bytes.`
        )
      }
      let body: unknown = {}
      if (bytes.length > 0) {
        try {
          body = JSON.parse(new TextDecoder().decode(bytes))
        } catch {
          return Respond.notionError(400, "invalid_json", "Error parsing JSON body.")
        }
      }
      if (!isObject(body))
        return Respond.validationError("body failed validation: body should be an object.")
      return handle({ context, body, version })
    }

  const param = (call: Call, name: string) => call.context.params[name] ?? ""

  const user = (call: Call) => {
    const raw = param(call, "id")
    const id = raw === "me" ? state.botId : Notion.normalizeId(raw)
    if (id === undefined) return Respond.invalidPathId("user_id", raw)
    const found = state.users.get(id)
    return found === undefined
      ? Respond.objectNotFound("user", id)
      : FakeServer.json(Notion.renderUser(found))
  }

  /** `GET /v1/data_sources/{id}`: a data source with its schema, from 2025-09-03 on. */
  const dataSource = (call: Call) => {
    if (call.version < "2025-09-03") return vendor.notFound(call.context.request)
    const raw = param(call, "id")
    const id = Notion.normalizeId(raw)
    if (id === undefined) return Respond.invalidPathId("data_source_id", raw)
    const found = [...state.databases.values()].find((database) => database.dataSourceId === id)
    return found === undefined
      ? Respond.objectNotFound("data source", id)
      : FakeServer.json(Notion.renderDatabase(found, call.version))
  }

  const routes = [
    FakeServer.route(
      "POST",
      "/v1/pages",
      call((c) => Pages.create(env, c.body, c.version))
    ),
    FakeServer.route(
      "GET",
      "/v1/pages/:id",
      call((c) => Pages.retrieve(env, param(c, "id"), c.version))
    ),
    FakeServer.route(
      "PATCH",
      "/v1/pages/:id",
      call((c) => Pages.update(env, param(c, "id"), c.body, c.version))
    ),
    FakeServer.route(
      "PATCH",
      "/v1/blocks/:id/children",
      call((c) => Blocks.append(env, param(c, "id"), c.body, c.version))
    ),
    FakeServer.route(
      "GET",
      "/v1/blocks/:id/children",
      call((c) => Blocks.list(env, param(c, "id"), c.context.url, c.version))
    ),
    FakeServer.route(
      "POST",
      "/v1/data_sources/:id/query",
      call((c) => Pages.query(env, param(c, "id"), "dataSourceId", c.body, c.version))
    ),
    FakeServer.route("GET", "/v1/data_sources/:id", call(dataSource)),
    FakeServer.route(
      "POST",
      "/v1/databases/:id/query",
      call((c) => Pages.query(env, param(c, "id"), "id", c.body, c.version))
    ),
    FakeServer.route(
      "POST",
      "/v1/search",
      call((c) => Pages.search(env, c.body, c.version))
    ),
    FakeServer.route("GET", "/v1/users/:id", call(user))
  ]
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs: options })
  return { handler, state, stats, origins }
}
