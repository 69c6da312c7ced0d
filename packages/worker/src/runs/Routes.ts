import { Issues, type Workflow } from "@workway/core"
import { Effect, Either, Schema } from "effect"
import * as Limits from "../Limits"
import * as Respond from "../Respond"
import type { RunStatus } from "./LongRun"

/** The RPC surface of a long-run Durable Object, as the routes call it. */
export interface LongRunStub {
  start(input: { readonly runId: string; readonly trigger: unknown }): Promise<RunStatus>
  status(): Promise<RunStatus>
}

/** Where long runs of a workflow are kept. */
export interface RunsOptions {
  /** The Durable Object namespace binding of the workflow's `LongRun` class. */
  readonly binding: string
}

const namespaceOf = (env: Readonly<Record<string, unknown>>, binding: string) => {
  const namespace = env[binding] as DurableObjectNamespace | undefined
  return namespace !== undefined && typeof namespace.idFromName === "function"
    ? namespace
    : undefined
}

const stubOf = (namespace: DurableObjectNamespace, runId: string) =>
  namespace.get(namespace.idFromName(runId)) as unknown as LongRunStub

const runIdPattern = /^[A-Za-z0-9_.:-]{1,128}$/

/**
 * `POST /runs` starts a long run with the JSON body as its trigger payload (an optional
 * `?runId=` makes the start idempotent) and answers 202 with where to follow it;
 * `GET /runs/<runId>` answers its status: segments, totals, and per iteration the items done,
 * rate, ETA and time spent waiting on rate limits.
 */
export const handle = async (
  request: Request,
  env: Readonly<Record<string, unknown>>,
  workflow: Workflow.Any,
  options: RunsOptions,
  limits: Limits.BodyLimits
): Promise<Response | undefined> => {
  const url = new URL(request.url)
  const match = /^\/runs(?:\/([^/]+))?$/.exec(url.pathname)
  if (match === null) return undefined
  const namespace = namespaceOf(env, options.binding)
  if (namespace === undefined) {
    return Respond.error(
      500,
      "ConfigurationError",
      `Long runs need the Durable Object binding ${options.binding} in wrangler.toml`
    )
  }
  const runId = match[1]
  if (runId !== undefined) {
    if (request.method !== "GET") {
      return Respond.error(405, "MethodNotAllowed", "Use GET for this path", {}, { allow: "GET" })
    }
    if (!runIdPattern.test(runId))
      return Respond.error(400, "InvalidRunId", "A run id is 1 to 128 letters, digits or ._:-")
    return stubOf(namespace, runId)
      .status()
      .then((status) => Respond.json(status))
      .catch(() => Respond.error(404, "NotFound", `No run ${runId}`))
  }
  if (request.method !== "POST") {
    return Respond.error(405, "MethodNotAllowed", "Use POST to start a run", {}, { allow: "POST" })
  }
  const body = await Effect.runPromise(Effect.either(Limits.readJson(request, limits)))
  if (Either.isLeft(body)) {
    const rejected = body.left
    return rejected._tag === "LimitExceeded"
      ? Respond.error(400, "LimitExceeded", rejected.message)
      : Respond.error(rejected.status, rejected.type, rejected.message)
  }
  const decoded = Schema.decodeUnknownEither(workflow.trigger.payload, { errors: "all" })(
    body.right
  )
  if (Either.isLeft(decoded)) {
    return Respond.error(
      400,
      "InvalidPayload",
      "The trigger payload does not match the workflow's schema",
      {
        issues: Issues.fromParseError(decoded.left)
      }
    )
  }
  const requested = url.searchParams.get("runId")
  if (requested !== null && !runIdPattern.test(requested)) {
    return Respond.error(400, "InvalidRunId", "A run id is 1 to 128 letters, digits or ._:-")
  }
  const id = requested ?? crypto.randomUUID()
  const status = await stubOf(namespace, id).start({ runId: id, trigger: body.right })
  return Respond.json({ runId: id, status: status.status, statusUrl: `/runs/${id}` }, 202, {
    location: `/runs/${id}`
  })
}
