import * as fs from "node:fs"
import * as path from "node:path"
import { Data, Effect } from "effect"

/** A command could not do what it was asked; the message says why and what to do. */
export class CliError extends Data.TaggedError("CliError")<{ readonly message: string }> {}

/** A workway app: a folder holding `wrangler.toml` and `src/worker.ts`. */
export interface App {
  /** Absolute path of the app's folder. */
  readonly dir: string
  /** The folder's name. */
  readonly name: string
  /** The folder as the user would type it from the current directory. */
  readonly display: string
}

/** The files that make a folder a workway app. */
export const files = {
  config: "wrangler.toml",
  worker: path.join("src", "worker.ts"),
  workflow: path.join("src", "workflow.ts"),
  layer: path.join("src", "layer.ts"),
  payload: "test-payload.json"
} as const

/** A path as the user would type it from the current directory. */
export const display = (target: string): string => {
  const relative = path.relative(process.cwd(), target)
  return relative === "" ? "." : relative.startsWith("..") ? target : relative
}

/** The root of the monorepo `from` is in: the nearest folder whose package.json has workspaces. */
export const repoRoot = (from: string = process.cwd()): string | undefined => {
  let dir = path.resolve(from)
  while (true) {
    const manifest = path.join(dir, "package.json")
    if (fs.existsSync(manifest)) {
      try {
        const parsed = JSON.parse(fs.readFileSync(manifest, "utf8")) as { workspaces?: unknown }
        if (parsed.workspaces !== undefined) return dir
      } catch {
        // an unreadable manifest is not a root; keep looking above it
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

const isApp = (dir: string): boolean =>
  fs.existsSync(path.join(dir, files.config)) && fs.existsSync(path.join(dir, files.worker))

/**
 * Finds the app an argument names: a folder, or the name of a folder under `apps/` (of the
 * current directory or of the repository).
 */
export const resolve = (argument: string): Effect.Effect<App, CliError> =>
  Effect.suspend(() => {
    const root = repoRoot()
    const candidates = [
      ...new Set([
        path.resolve(argument),
        path.resolve("apps", argument),
        ...(root === undefined ? [] : [path.join(root, "apps", argument)])
      ])
    ]
    const found = candidates.find(isApp)
    if (found !== undefined) {
      return Effect.succeed({ dir: found, name: path.basename(found), display: display(found) })
    }
    const existing = candidates.find((candidate) => fs.existsSync(candidate))
    return Effect.fail(
      new CliError({
        message:
          existing === undefined
            ? `No app named ${argument}: looked for ${candidates.map(display).join(", ")}. ` +
              `Create one with \`workway init ${path.basename(argument)}\`.`
            : `${display(existing)} is not a workway app: expected ${files.worker} and ${files.config}`
      })
    )
  })

/** Reads and parses a JSON file, or says which file is wrong and how. */
export const readJson = (file: string): Effect.Effect<unknown, CliError> =>
  Effect.try({
    try: (): unknown => JSON.parse(fs.readFileSync(file, "utf8")),
    catch: (cause) => {
      const reason = cause instanceof Error ? cause.message : String(cause)
      return new CliError({
        message: fs.existsSync(file)
          ? `${display(file)} is not valid JSON: ${reason}`
          : `No file ${display(file)}; give the payload with --payload <file.json>`
      })
    }
  })
