import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { Effect } from "effect"
import { type App, CliError, display } from "./App"
import type { Bundle } from "./Build"

/** The wrangler command line this package depends on, run with the current Node. */
export const wranglerBin = (): string => {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve("wrangler/package.json")
  const { bin } = JSON.parse(fs.readFileSync(manifest, "utf8")) as {
    bin: string | Record<string, string>
  }
  const relative = typeof bin === "string" ? bin : (bin.wrangler ?? "bin/wrangler.js")
  return path.join(path.dirname(manifest), relative)
}

/** Options of a deployment. */
export interface DeployOptions {
  /** Bundle and validate only: nothing is uploaded, no account is needed. */
  readonly dryRun: boolean
  /** Where wrangler's output goes; inherited from this process by default. */
  readonly stdio?: "inherit" | "pipe"
}

/** What wrangler printed and how it ended. */
export interface WranglerRun {
  readonly code: number
  readonly output: string
}

/**
 * Runs `wrangler deploy` on a built bundle, with `--dry-run --outdir <dist>/deploy` for a dry
 * run. Wrangler asks for a login or `CLOUDFLARE_API_TOKEN` when it really deploys.
 */
export const deploy = (
  app: App,
  bundle: Bundle,
  options: DeployOptions
): Effect.Effect<WranglerRun, CliError> =>
  Effect.async<WranglerRun, CliError>((resume) => {
    const args = [
      wranglerBin(),
      "deploy",
      "--config",
      bundle.configFile,
      ...(options.dryRun ? ["--dry-run", "--outdir", path.join(bundle.outDir, "deploy")] : [])
    ]
    const piped = options.stdio === "pipe"
    const child = spawn(process.execPath, args, {
      cwd: app.dir,
      stdio: piped ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" }
    })
    const chunks: Array<Buffer> = []
    child.stdout?.on("data", (chunk: Buffer) => chunks.push(chunk))
    child.stderr?.on("data", (chunk: Buffer) => chunks.push(chunk))
    child.on("error", (cause) =>
      resume(Effect.fail(new CliError({ message: `Cannot run wrangler: ${cause.message}` })))
    )
    child.on("close", (code) => {
      const output = Buffer.concat(chunks).toString("utf8")
      resume(
        code === 0
          ? Effect.succeed({ code, output })
          : Effect.fail(
              new CliError({
                message:
                  `wrangler deploy of ${display(bundle.configFile)} failed with exit code ${code}` +
                  (piped ? `:\n${output.trim()}` : "; its output above says why") +
                  (options.dryRun
                    ? ""
                    : "\n(log in with `npx wrangler login` or set CLOUDFLARE_API_TOKEN)")
              })
            )
      )
    })
    return Effect.sync(() => {
      if (child.exitCode === null) child.kill("SIGTERM")
    })
  })
