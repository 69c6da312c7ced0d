import * as FakeServer from "./FakeServer"
import * as Zoom from "./internal/zoomState"
import * as Samples from "./Samples"

export type { ZoomMeeting, ZoomParticipant, ZoomState, ZoomUser } from "./internal/zoomState"

/** Options of the fake Zoom: knobs, the app's credentials and the account's seed. */
export interface Options extends FakeServer.Knobs {
  readonly accountId?: string | undefined
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly users?: ReadonlyArray<Zoom.ZoomUser> | undefined
  readonly meetings?: ReadonlyArray<Zoom.ZoomMeeting> | undefined
  /** How long an access token lives; an hour by default. */
  readonly tokenTtlSeconds?: number | undefined
}

/** The origins Zoom answers: the API, and the site serving OAuth and downloads. */
export const origins: ReadonlyArray<string> = ["https://api.zoom.us", "https://zoom.us"]

const error = (status: number, code: number, message: string, headers?: Record<string, string>) =>
  FakeServer.json({ code, message }, { status, ...(headers === undefined ? {} : { headers }) })

const oauthError = (status: number, error: string, reason: string) =>
  FakeServer.json({ reason, error }, { status })

const categoryOf = (route: string): string =>
  route.includes("/users/") || route.includes("/participants") ? "Medium" : "Light"

const vendor: FakeServer.Vendor = {
  notFound: () => error(404, 404, "Not Found"),
  throttled: (throttle) =>
    error(
      429,
      429,
      "You have reached the maximum per-second rate limit for this API. Try again later.",
      {
        "X-RateLimit-Category": categoryOf(throttle.route),
        "X-RateLimit-Type": "QPS",
        "X-RateLimit-Limit": String(throttle.limit),
        "X-RateLimit-Remaining": "0",
        "Retry-After": String(throttle.retryAfterSeconds)
      }
    ),
  unavailable: () => error(503, 503, "Service temporarily unavailable. Try again later."),
  internalError: (message) => error(500, 500, message),
  rateHeaders: (route, rate) =>
    route.includes(" /v2/")
      ? {
          "X-RateLimit-Category": categoryOf(route),
          "X-RateLimit-Type": "QPS",
          "X-RateLimit-Limit": String(rate.limit),
          "X-RateLimit-Remaining": String(rate.remaining)
        }
      : {}
}

/** Where download links point: `zoom.us` behind the real API, the fake's own origin otherwise. */
const siteOrigin = (url: URL): string =>
  url.origin === "https://api.zoom.us" ? "https://zoom.us" : url.origin

const meetingNotFound = (key: string) => error(404, 3001, `Meeting does not exist: ${key}.`)

const pagedJson = <A>(paged: Zoom.Paged<A>, field: string, render: (item: A) => unknown) =>
  paged._tag === "Invalid"
    ? error(400, paged.code, paged.message)
    : FakeServer.json({ ...paged.page, [field]: paged.items.map(render) })

/** Makes a fake Zoom answering the real paths of `api.zoom.us` and `zoom.us`. */
export const make = (options: Options = {}): FakeServer.Fake<Zoom.ZoomState> => {
  const now = options.now ?? Date.now
  const tokenTtlMs = (options.tokenTtlSeconds ?? 3600) * 1000
  const state: Zoom.ZoomState = {
    accountId: options.accountId ?? Samples.credentials.zoom.accountId,
    clientId: options.clientId ?? Samples.credentials.zoom.clientId,
    clientSecret: options.clientSecret ?? Samples.credentials.zoom.clientSecret,
    users: [...(options.users ?? Samples.zoomUsers)],
    meetings: [...(options.meetings ?? [Samples.meeting, ...Samples.earlierMeetings])],
    tokens: new Map(),
    tokenGrants: 0,
    pageTokens: new Map()
  }

  const grant = async ({ request, url }: FakeServer.RouteContext) => {
    const form = new URLSearchParams(await request.text())
    const param = (name: string) => url.searchParams.get(name) ?? form.get(name)
    const expected = `Basic ${btoa(`${state.clientId}:${state.clientSecret}`)}`
    if (request.headers.get("authorization") !== expected) {
      return oauthError(401, "invalid_client", "Invalid client_id or client_secret")
    }
    if (param("grant_type") !== "account_credentials") {
      return oauthError(400, "unsupported_grant_type", "Unsupported grant type")
    }
    if (param("account_id") !== state.accountId) {
      return oauthError(400, "invalid_request", `Invalid account_id: ${param("account_id") ?? ""}`)
    }

    state.tokenGrants++
    const token = `eyJ6b29tIjoiZmFrZSJ9.${state.tokenGrants}.${state.accountId}`
    state.tokens.set(token, now() + tokenTtlMs)
    return FakeServer.json({
      access_token: token,
      token_type: "bearer",
      expires_in: Math.round(tokenTtlMs / 1000) - 1,
      scope: "meeting:read:admin recording:read:admin user:read:admin",
      api_url: "https://api.zoom.us"
    })
  }

  const authorized =
    (handle: FakeServer.Route["handle"]): FakeServer.Route["handle"] =>
    (context) => {
      const header = context.request.headers.get("authorization") ?? ""
      const token = header.startsWith("Bearer ")
        ? header.slice("Bearer ".length)
        : (context.url.searchParams.get("access_token") ?? "")
      const expiresAt = state.tokens.get(token)
      if (expiresAt === undefined) return error(401, 124, "Invalid access token.")
      if (expiresAt <= now()) return error(401, 124, "Access token is expired.")
      return handle(context)
    }

  const meeting = authorized(({ params }) => {
    const key = params.meetingId!
    const found = /^\d+$/.test(key) ? Zoom.findMeeting(state, key) : undefined
    return found === undefined ? meetingNotFound(key) : FakeServer.json(Zoom.meetingDetails(found))
  })

  const recordings = authorized(({ params, url }) => {
    const key = Zoom.decodeMeetingKey(params.meetingId!)
    const found = key === undefined ? undefined : Zoom.findMeeting(state, key)
    if (found === undefined) return meetingNotFound(key ?? params.meetingId!)
    if (found.recording === undefined) return error(404, 3301, "This recording does not exist.")

    const files = Zoom.recordingFiles(found, found.recording, siteOrigin(url))
    return FakeServer.json({
      uuid: found.uuid,
      id: found.id,
      account_id: state.accountId,
      host_id: found.host_id,
      topic: found.topic,
      type: found.type,
      start_time: found.start_time,
      timezone: found.timezone,
      duration: found.duration,
      total_size: files.reduce((sum, file) => sum + file.file_size, 0),
      recording_count: files.length,
      share_url: `${siteOrigin(url)}/rec/share/${found.recording.id}`,
      recording_files: files
    })
  })

  const userMeetings = authorized(({ params, url }) => {
    const user = Zoom.findUser(state, params.userId!)
    if (user === undefined) return error(404, 1001, `User does not exist: ${params.userId}.`)
    const meetings = state.meetings
      .filter((meeting) => meeting.host_id === user.id)
      .sort((a, b) => b.start_time.localeCompare(a.start_time))
    const paged = Zoom.page(state, now(), url.searchParams, `meetings:${user.id}`, meetings)
    return pagedJson(paged, "meetings", Zoom.meetingSummary)
  })

  const participants = authorized(({ params, url }) => {
    const key = Zoom.decodeMeetingKey(params.meetingUUID!)
    const found = key === undefined ? undefined : Zoom.findMeeting(state, key)
    if (found === undefined) return meetingNotFound(key ?? params.meetingUUID!)
    const listing = `participants:${found.uuid}`
    const paged = Zoom.page(state, now(), url.searchParams, listing, found.participants)
    return pagedJson(paged, "participants", (participant) => participant)
  })

  const download = authorized(({ params }) => {
    const file = Zoom.download(state, params.fileId!)
    if (file === undefined) return error(404, 3301, "This recording does not exist.")
    return new Response(file.body, { headers: { "content-type": file.contentType } })
  })

  const routes = [
    FakeServer.route("POST", "/oauth/token", grant),
    FakeServer.route("GET", "/v2/meetings/:meetingId", meeting),
    FakeServer.route("GET", "/v2/meetings/:meetingId/recordings", recordings),
    FakeServer.route("GET", "/v2/users/:userId/meetings", userMeetings),
    FakeServer.route("GET", "/v2/past_meetings/:meetingUUID/participants", participants),
    FakeServer.route("GET", "/rec/download/:fileId", download)
  ]
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs: options })
  return { handler, state, stats, origins }
}
