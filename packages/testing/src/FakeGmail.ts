import * as FakeServer from "./FakeServer"
import * as Batch from "./internal/gmailBatch"
import * as Messages from "./internal/gmailMessages"
import * as Gmail from "./internal/gmailState"
import * as Ids from "./internal/ids"
import { isObject } from "./internal/json"
import * as Router from "./internal/router"

export type {
  GmailLabel,
  GmailMessage,
  GmailState,
  SeedMessage
} from "./internal/gmailState"
export { sampleMessages } from "./internal/gmailState"

/** The access token and mailbox the fake accepts by default. */
export const credentials = {
  accessToken: "ya29.fake-gmail-access-token",
  emailAddress: "me@example.com"
} as const

/** Quota units each call costs, as Gmail documents them. */
export const units = {
  "messages.list": 5,
  "messages.get": 5,
  "messages.send": 100,
  "history.list": 2,
  "labels.list": 1
} as const

/** Options of the fake Gmail: knobs, the mailbox and its per-user quota. */
export interface Options extends FakeServer.Knobs {
  readonly emailAddress?: string | undefined
  readonly tokens?: ReadonlyArray<string> | undefined
  /** The mailbox's messages; 30 sample messages by default. */
  readonly messages?: ReadonlyArray<Gmail.SeedMessage> | undefined
  readonly labels?: ReadonlyArray<Gmail.GmailLabel> | undefined
  /**
   * The per-user quota: units a minute, and the most spent at once (a minute's worth by
   * default). 15,000 units a minute by default.
   */
  readonly quota?: { readonly unitsPerMinute: number; readonly burst?: number } | undefined
  /** How a spent quota is answered: 403 `userRateLimitExceeded` (default) or 429. */
  readonly quotaStatus?: 403 | 429 | undefined
  /** Calls one batch may carry; 100, as Gmail allows. */
  readonly maxBatchSize?: number | undefined
}

/** The origins Gmail answers: the API, and the host of the batch endpoint. */
export const origins: ReadonlyArray<string> = [
  "https://gmail.googleapis.com",
  "https://www.googleapis.com"
]

const statusNames: Readonly<Record<number, string>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE"
}

/** Google's error envelope. */
export const googleError = (
  code: number,
  message: string,
  reason: string,
  domain = "global"
): Response =>
  FakeServer.json(
    {
      error: {
        code,
        message,
        errors: [{ message, domain, reason }],
        status: statusNames[code] ?? "UNKNOWN"
      }
    },
    { status: code }
  )

const vendor: FakeServer.Vendor = {
  notFound: (request) =>
    googleError(404, `Method not found: ${new URL(request.url).pathname}`, "notFound"),
  // Google documents no Retry-After on these: clients back off exponentially.
  throttled: () =>
    googleError(
      429,
      "Resource has been exhausted (e.g. check quota).",
      "rateLimitExceeded",
      "usageLimits"
    ),
  unavailable: () => googleError(503, "The service is currently unavailable.", "backendError"),
  internalError: (message) =>
    googleError(500, `Internal error encountered: ${message}`, "backendError")
}

const notFound = () => googleError(404, "Requested entity was not found.", "notFound")

const invalid = (message: string) => googleError(400, message, "invalidArgument")

/** A call of the API, after its token, user and quota were checked. */
interface Call {
  readonly context: FakeServer.RouteContext
  readonly user: string
}

/** Makes a fake Gmail answering the real paths of `gmail.googleapis.com` and its batch host. */
export const make = (options: Options = {}): FakeServer.Fake<Gmail.GmailState> => {
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const quota = {
    unitsPerMinute: options.quota?.unitsPerMinute ?? 15_000,
    burst: options.quota?.burst ?? options.quota?.unitsPerMinute ?? 15_000
  }
  const quotaStatus = options.quotaStatus ?? 403
  const maxBatchSize = options.maxBatchSize ?? 100
  const state: Gmail.GmailState = {
    emailAddress: options.emailAddress ?? credentials.emailAddress,
    tokens: new Set(options.tokens ?? [credentials.accessToken]),
    messages: new Map(),
    labels: [...(options.labels ?? Gmail.defaultLabels)],
    history: [],
    historyId: 100_000,
    pageTokens: new Map(),
    quota: new Map(),
    unitsSpent: 0,
    batches: 0,
    batchedCalls: 0,
    sent: 0
  }
  for (const seed of [...(options.messages ?? Gmail.sampleMessages(30))].reverse()) {
    Gmail.addMessage(state, seed)
  }
  /** The fake's statistics, known once its handler is made; quota throttles count as 429s do. */
  let stats: FakeServer.Stats | undefined

  const throttled = () => {
    if (stats !== undefined) stats.throttled++
    return quotaStatus === 429
      ? googleError(429, "Too many requests for this user.", "rateLimitExceeded", "usageLimits")
      : googleError(
          403,
          `User-rate limit exceeded. Retry after ${new Date(now() + 1000).toISOString()}`,
          "userRateLimitExceeded",
          "usageLimits"
        )
  }

  const api =
    (
      cost: number,
      handle: (call: Call) => Response | Promise<Response>
    ): FakeServer.Route["handle"] =>
    (context) => {
      const header = context.request.headers.get("authorization") ?? ""
      const token = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : ""
      if (!state.tokens.has(token)) {
        return googleError(
          401,
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login " +
            "cookie or other valid authentication credential.",
          "authError"
        )
      }
      const userId = context.params.userId ?? ""
      if (userId !== "me" && userId.toLowerCase() !== state.emailAddress.toLowerCase()) {
        return googleError(403, `Delegation denied for ${state.emailAddress}`, "forbidden")
      }
      if (!Gmail.spend(state, state.emailAddress, cost, quota, now())) return throttled()
      return handle({ context, user: state.emailAddress })
    }

  const list = api(units["messages.list"], ({ context: { url }, user }) => {
    const query = url.searchParams
    const options = {
      q: query.get("q") ?? "",
      labelIds: query.getAll("labelIds"),
      includeSpamTrash: query.get("includeSpamTrash") === "true"
    }
    const found = Gmail.search(state, options)
    const paged = Gmail.page(state, query, `messages:${user}:${JSON.stringify(options)}`, found)
    if (paged._tag === "Invalid") return invalid(paged.message)
    return FakeServer.json({
      ...(paged.items.length === 0
        ? {}
        : { messages: paged.items.map((m) => ({ id: m.id, threadId: m.threadId })) }),
      ...(paged.next === undefined ? {} : { nextPageToken: paged.next }),
      resultSizeEstimate: found.length
    })
  })

  const get = api(units["messages.get"], ({ context: { url, params } }) => {
    const format = Messages.formatOf(url.searchParams.get("format"))
    if (format === undefined) {
      return invalid(`Invalid value at 'format' (${url.searchParams.get("format")})`)
    }
    if (!/^[0-9a-f]+$/i.test(params.id ?? "")) return invalid("Invalid id value")
    const message = state.messages.get(params.id ?? "")
    if (message === undefined) return notFound()
    return FakeServer.json(
      Messages.render(message, format, url.searchParams.getAll("metadataHeaders"))
    )
  })

  const send = api(units["messages.send"], async ({ context: { request } }) => {
    let body: unknown
    try {
      body = JSON.parse(await request.text())
    } catch {
      return invalid("Invalid JSON payload received.")
    }
    const raw = isObject(body) && typeof body.raw === "string" ? body.raw : undefined
    if (raw === undefined) {
      return invalid(
        "'raw' RFC822 payload message string or uploading message via /upload/* URL required"
      )
    }
    const decoded = Messages.fromBase64Url(raw)
    if (decoded === undefined) return invalid("Invalid value for ByteString: raw")
    const parsed = Messages.parseRfc822(decoded)
    const to = Messages.headerOf(parsed, "To") ?? ""
    if (to.trim() === "") return invalid("Recipient address required")
    state.sent++
    const threadId = isObject(body) && typeof body.threadId === "string" ? body.threadId : undefined
    const message = Gmail.addMessage(state, {
      threadId,
      from: Messages.headerOf(parsed, "From") ?? state.emailAddress,
      to,
      subject: Messages.headerOf(parsed, "Subject") ?? "",
      text: parsed.body,
      internalDate: now(),
      labelIds: ["SENT"]
    })
    return FakeServer.json({ id: message.id, threadId: message.threadId, labelIds: ["SENT"] })
  })

  const history = api(units["history.list"], ({ context: { url }, user }) => {
    const start = url.searchParams.get("startHistoryId") ?? ""
    if (start === "") return invalid("Missing required parameter: startHistoryId")
    if (!/^\d+$/.test(start)) return invalid(`Invalid startHistoryId: ${start}`)
    const records = state.history.filter((record) => record.id > Number(start))
    const paged = Gmail.page(state, url.searchParams, `history:${user}:${start}`, records)
    if (paged._tag === "Invalid") return invalid(paged.message)
    const rendered = paged.items.flatMap((record) => {
      const message = state.messages.get(record.messageId)
      if (message === undefined) return []
      const ref = { id: message.id, threadId: message.threadId }
      return [
        {
          id: String(record.id),
          messages: [ref],
          messagesAdded: [{ message: { ...ref, labelIds: [...message.labelIds] } }]
        }
      ]
    })
    return FakeServer.json({
      ...(rendered.length === 0 ? {} : { history: rendered }),
      ...(paged.next === undefined ? {} : { nextPageToken: paged.next }),
      historyId: String(state.historyId)
    })
  })

  const labels = api(units["labels.list"], () =>
    FakeServer.json({
      labels: state.labels.map((label) =>
        label.type === "user"
          ? { ...label, messageListVisibility: "show", labelListVisibility: "labelShow" }
          : label
      )
    })
  )

  const apiRoutes = [
    FakeServer.route("GET", "/gmail/v1/users/:userId/messages", list),
    FakeServer.route("POST", "/gmail/v1/users/:userId/messages/send", send),
    FakeServer.route("GET", "/gmail/v1/users/:userId/messages/:id", get),
    FakeServer.route("GET", "/gmail/v1/users/:userId/history", history),
    FakeServer.route("GET", "/gmail/v1/users/:userId/labels", labels)
  ]

  const dispatch = async (request: Request): Promise<Response> => {
    const found = Router.match(apiRoutes, request)
    if (found.route === undefined) return vendor.notFound(request)
    try {
      return await found.route.handle(found.context)
    } catch (error) {
      return vendor.internalError(error instanceof Error ? error.message : String(error))
    }
  }

  const shuffled = <A>(items: ReadonlyArray<A>): Array<A> => {
    const copy = [...items]
    for (let index = copy.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1))
      ;[copy[index], copy[other]] = [copy[other]!, copy[index]!]
    }
    return copy
  }

  const batch: FakeServer.Route["handle"] = async ({ request, url }) => {
    const boundary = Batch.boundaryOf(request.headers.get("content-type"))
    if (boundary === undefined)
      return invalid("Batch requests must be multipart/mixed with a boundary.")
    const parts = Batch.parse(await request.text(), boundary)
    if (parts === undefined)
      return invalid("Each part of a batch must be an application/http request.")
    if (parts.length === 0) return invalid("A batch must hold at least one request.")
    if (parts.length > maxBatchSize) {
      return invalid(
        `Too many requests in batch: ${parts.length}; the most allowed is ${maxBatchSize}.`
      )
    }
    state.batches++
    state.batchedCalls += parts.length
    const authorization = request.headers.get("authorization")
    const answers = await Promise.all(
      parts.map(async (part) => {
        const headers = new Headers(part.headers)
        if (!headers.has("authorization") && authorization !== null) {
          headers.set("authorization", authorization)
        }
        const inner = new Request(new URL(part.target, url.origin), {
          method: part.method,
          headers,
          ...(part.method === "GET" || part.body === "" ? {} : { body: part.body })
        })
        return { contentId: part.contentId, response: await dispatch(inner) }
      })
    )
    const outer = `batch_${Ids.opaque(`batch:${state.batches}`)}`
    return new Response(await Batch.render(shuffled(answers), outer), {
      headers: { "content-type": `multipart/mixed; boundary=${outer}` }
    })
  }

  const routes = [...apiRoutes, FakeServer.route("POST", "/batch/gmail/v1", batch)]
  const made = FakeServer.make({ vendor, routes, knobs: options })
  stats = made.stats
  return { handler: made.handler, state, stats: made.stats, origins }
}
