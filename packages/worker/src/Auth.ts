import { Config, Data, Effect, Option, Redacted } from "effect"
import * as Respond from "./Respond"

/** The secret holding the bearer token `/execute` and the inspector require. */
export const tokenVariable = "WORKWAY_API_TOKEN"

/** A request to a protected path without the right credentials. */
export class Unauthorized extends Data.TaggedError("Unauthorized")<{
  readonly reason: "missing" | "invalid" | "unconfigured"
  readonly message: string
}> {}

/**
 * Whether a path runs workflows or shows their runs, and so needs the API token: `/execute`,
 * `/runs` and everything under it, and the inspector (`/__workway...`).
 */
export const protects = (pathname: string): boolean =>
  pathname === "/execute" ||
  pathname === "/runs" ||
  pathname.startsWith("/runs/") ||
  pathname.startsWith("/__workway")

const loopbackHosts = new Set(["127.0.0.1", "localhost", "[::1]"])

/**
 * Whether a request is addressed to this machine (`127.0.0.1`, `localhost` or `[::1]`), as
 * `workway dev` and `wrangler dev` are.
 *
 * **Note**: this reads the host the client addressed. On Cloudflare, requests reach a Worker
 * through its routes and `workers.dev` name, never under a loopback host, so a deployed Worker
 * without a token refuses everyone; a Worker reached through a proxy that rewrites the host is
 * not protected by this check and needs the token.
 */
export const isLoopback = (url: URL): boolean => loopbackHosts.has(url.hostname)

const encoder = new TextEncoder()

/**
 * Whether two strings are equal, in time that depends on neither: both are hashed to 32 bytes
 * first, so their lengths do not show either.
 */
export const constantTimeEqual = (a: string, b: string): Effect.Effect<boolean> =>
  Effect.promise(async () => {
    const [left, right] = await Promise.all([
      crypto.subtle.digest("SHA-256", encoder.encode(a)),
      crypto.subtle.digest("SHA-256", encoder.encode(b))
    ])
    const x = new Uint8Array(left)
    const y = new Uint8Array(right)
    let difference = 0
    for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!
    return difference === 0
  })

/** The token of an `Authorization: Bearer <token>` header, if there is one. */
const bearerOf = (header: string | null): string | undefined => {
  const match = header === null ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

/** The configured token; blank counts as not configured. */
const configuredToken = Config.option(Config.redacted(tokenVariable)).pipe(
  Effect.orElseSucceed(() => Option.none<Redacted.Redacted<string>>()),
  Effect.map(Option.filter((token) => Redacted.value(token).trim().length > 0))
)

/**
 * Lets a request through when it carries `Authorization: Bearer <WORKWAY_API_TOKEN>`, compared
 * in constant time. Without a configured token, only requests addressed to loopback pass, so
 * `workway dev` works untouched and a deployment is closed until the secret is set.
 */
export const authorize = (request: Request): Effect.Effect<void, Unauthorized> =>
  Effect.gen(function* () {
    const token = yield* configuredToken
    if (Option.isNone(token)) {
      if (isLoopback(new URL(request.url))) return
      return yield* new Unauthorized({
        reason: "unconfigured",
        message:
          `This path needs a bearer token and none is configured: set ${tokenVariable} ` +
          `(\`wrangler secret put ${tokenVariable}\`) and send Authorization: Bearer <token>. ` +
          "Without it, only requests to localhost are served"
      })
    }
    const presented = bearerOf(request.headers.get("authorization"))
    if (presented === undefined) {
      return yield* new Unauthorized({
        reason: "missing",
        message: `Send Authorization: Bearer <${tokenVariable}>`
      })
    }
    if (!(yield* constantTimeEqual(presented, Redacted.value(token.value).trim()))) {
      return yield* new Unauthorized({
        reason: "invalid",
        message: "The bearer token is not valid"
      })
    }
  })

/** The 401 answered to an unauthorized request. */
export const respond = (unauthorized: Unauthorized): Response =>
  Respond.error(
    401,
    "Unauthorized",
    unauthorized.message,
    {},
    { "www-authenticate": 'Bearer realm="workway"' }
  )
