import * as Html from "./inspector/Html"
import * as Page from "./inspector/Page"
import * as RunLog from "./inspector/RunLog"
import * as Respond from "./Respond"

export type { Capacity, RecordedRun, RunLog } from "./inspector/RunLog"

/** Where the inspector is served: `GET /__workway` and `GET /__workway/runs/:runId`. */
export const base = Page.base

/** A log of recent runs, kept in this isolate's memory. */
export const makeLog = (capacity?: RunLog.Capacity): RunLog.RunLog => RunLog.make(capacity)

/** Whether a path belongs to the inspector. */
export const matches = (pathname: string): boolean =>
  pathname === base || pathname === `${base}/` || pathname.startsWith(`${base}/`)

/** A run's waterfall as a standalone SVG document, and the most calls it draws. */
export { maxDrawnCalls, render as waterfall } from "./inspector/Waterfall"

const html = (body: string, status = 200) => new Response(body, { status, headers: Html.headers })

const runPattern = new RegExp(`^${base}/runs/([^/]+)/?$`)

/**
 * Answers an inspector request: `GET /__workway` lists the isolate's recent runs and
 * `GET /__workway/runs/:runId` draws one run as a waterfall; both as HTML with inline styles and
 * SVG (no scripts or external assets), or as JSON with `?format=json`.
 *
 * **Note**: runs are kept in memory, per isolate. A deployed Worker runs in many isolates, each
 * with its own recent runs, and an isolate's are gone when it is evicted. The inspector answers
 * anyone who can reach the Worker unless an access check runs before it.
 */
export const respond = (request: Request, log: RunLog.RunLog): Response => {
  const url = new URL(request.url)
  if (request.method !== "GET" && request.method !== "HEAD") {
    return Respond.error(
      405,
      "MethodNotAllowed",
      "Use GET for the run inspector",
      {},
      { allow: "GET" }
    )
  }
  const json = url.searchParams.get("format") === "json"
  if (url.pathname === base || url.pathname === `${base}/`) {
    const runs = log.list()
    return json
      ? Respond.json({ runs: runs.map(Page.summary) }, 200, { "cache-control": "no-store" })
      : html(Page.list(runs))
  }
  const match = runPattern.exec(url.pathname)
  if (match === null) {
    return Respond.error(
      404,
      "NotFound",
      `No inspector page at ${url.pathname}; try GET ${base} or GET ${base}/runs/:runId`
    )
  }
  const runId = decodedSegment(match[1] ?? "")
  if (runId === undefined) return Respond.error(400, "InvalidPath", "The run id is not valid UTF-8")
  const run = log.find(runId)
  if (run === undefined) {
    const message = `No run ${runId} among this isolate's recent runs; each isolate keeps its own`
    return json ? Respond.error(404, "RunNotFound", message) : html(Page.missing(runId), 404)
  }
  return json ? Respond.json(run, 200, { "cache-control": "no-store" }) : html(Page.detail(run))
}

/** A path segment decoded, or `undefined` when its percent-escapes are not UTF-8. */
const decodedSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
