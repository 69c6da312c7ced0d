import * as fs from "node:fs"
import * as path from "node:path"
import { Fakes, Samples } from "@workway/testing"
import { Data, Effect, type Scope } from "effect"

/** Starting the dev server failed. */
export class DevError extends Data.TaggedError("DevError")<{ readonly message: string }> {}

/** The credentials each vendor needs to be called for real. */
export const liveCredentials = [
  "ZOOM_ACCOUNT_ID",
  "ZOOM_CLIENT_ID",
  "ZOOM_CLIENT_SECRET",
  "NOTION_TOKEN",
  "SLACK_BOT_TOKEN",
  "AI_API_KEY"
] as const

/** Which vendors a dev server talks to. */
export type Vendors =
  | { readonly _tag: "Fakes"; readonly missing: ReadonlyArray<string> }
  | { readonly _tag: "Live" }

/** Real vendors when every credential is configured, the loopback fakes otherwise. */
export const vendorsFrom = (env: Readonly<Record<string, string | undefined>>): Vendors => {
  const missing = liveCredentials.filter((name) => (env[name] ?? "") === "")
  return missing.length === 0 ? { _tag: "Live" } : { _tag: "Fakes", missing }
}

/** A running dev server. */
export interface DevServer {
  readonly url: string
  readonly vendors: Vendors
  /** The fakes the Worker calls, to inspect their state; absent when calling real vendors. */
  readonly fakes: Fakes.Fakes | undefined
  /** Posts a JSON payload to `/execute` and answers the parsed response. */
  readonly execute: (
    payload: unknown
  ) => Promise<{ readonly status: number; readonly body: unknown }>
  readonly fetch: (path: string, init?: RequestInit) => Promise<Response>
}

/** Options of a dev server. */
export interface DevOptions {
  /** The app's folder, holding `wrangler.toml` and `src/worker.ts`. */
  readonly appDir: string
  readonly port: number
  /** Force the fakes even when credentials are configured. */
  readonly fakes?: boolean
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** The credentials and sample ids the fakes accept, as configuration variables. */
export const fakeCredentials: Readonly<Record<string, string>> = {
  ZOOM_ACCOUNT_ID: Samples.credentials.zoom.accountId,
  ZOOM_CLIENT_ID: Samples.credentials.zoom.clientId,
  ZOOM_CLIENT_SECRET: Samples.credentials.zoom.clientSecret,
  NOTION_TOKEN: Samples.credentials.notion.token,
  NOTION_PARENT_PAGE_ID: Samples.notionParentPageId,
  SLACK_BOT_TOKEN: Samples.credentials.slack.token,
  AI_API_KEY: Samples.credentials.ai.apiKey
}

/** Worker vars that point every integration at the fakes served on loopback. */
export const fakeVars = (urls: Fakes.ServedUrls): Record<string, string> => ({
  ...fakeCredentials,
  ZOOM_BASE_URL: `${urls.zoom}/v2`,
  ZOOM_OAUTH_URL: `${urls.zoom}/oauth/token`,
  NOTION_BASE_URL: `${urls.notion}/v1`,
  SLACK_BASE_URL: `${urls.slack}/api`,
  AI_BASE_URL: `${urls.ai}/v1`
})

const passThrough = (env: Readonly<Record<string, string | undefined>>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && /^(ZOOM|NOTION|SLACK|AI|STRIPE|GMAIL|WORKWAY)_/.test(entry[0])
    )
  )

/**
 * Serves an app's Worker in workerd (through wrangler) on 127.0.0.1, against the vendor fakes
 * on loopback unless every credential is configured. Everything stops when the scope closes.
 */
export const start = (options: DevOptions): Effect.Effect<DevServer, DevError, Scope.Scope> =>
  Effect.gen(function* () {
    const appDir = path.resolve(options.appDir)
    const entry = path.join(appDir, "src", "worker.ts")
    const config = path.join(appDir, "wrangler.toml")
    if (!fs.existsSync(entry) || !fs.existsSync(config)) {
      return yield* new DevError({
        message: `${appDir} is not a workway app: expected src/worker.ts and wrangler.toml`
      })
    }
    const env = options.env ?? process.env
    const detected = vendorsFrom(env)
    const vendors: Vendors =
      options.fakes === true && detected._tag === "Live" ? { _tag: "Fakes", missing: [] } : detected
    const fakes = vendors._tag === "Fakes" ? Fakes.make() : undefined
    const vars =
      fakes === undefined
        ? passThrough(env)
        : yield* Effect.acquireRelease(
            Effect.promise(() => fakes.serveAll()),
            (served) => Effect.promise(() => served.close())
          ).pipe(Effect.map((served) => ({ ...fakeVars(served.urls), ...workwayVars(env) })))
    process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false"
    process.env.WRANGLER_SEND_METRICS ??= "false"
    const { unstable_dev } = yield* Effect.promise(() => import("wrangler"))
    const worker = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          unstable_dev(entry, {
            config,
            ip: "127.0.0.1",
            port: options.port,
            vars,
            logLevel: "warn",
            experimental: { disableExperimentalWarning: true, disableDevRegistry: true }
          }),
        catch: (cause) =>
          new DevError({
            message: `workerd did not start: ${cause instanceof Error ? cause.message : String(cause)}`
          })
      }),
      (worker) => Effect.promise(() => worker.stop())
    )
    const url = `http://127.0.0.1:${worker.port}`
    const fetchPath = (p: string, init?: RequestInit) => fetch(`${url}${p}`, init)
    return {
      url,
      vendors,
      fakes,
      fetch: fetchPath,
      execute: async (payload) => {
        const response = await fetchPath("/execute", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(payload)
        })
        return { status: response.status, body: await response.json() }
      }
    }
  })

const workwayVars = (env: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[0].startsWith("WORKWAY_")
    )
  )
