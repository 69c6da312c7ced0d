import { execFile } from "node:child_process"
import * as path from "node:path"

/** The repository's root folder. */
export const repo = path.resolve(__dirname, "../../../..")

/** What a command printed and how it ended. */
export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a child process, without the variables of the test runner around it. */
export const cleanEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "TEST")
  ),
  NO_COLOR: "1",
  ...extra
})

/** Runs a command from the repository's root and collects its output. */
export const exec = (command: string, args: ReadonlyArray<string>, timeout = 110_000) =>
  new Promise<Ran>((resolve) => {
    execFile(
      command,
      [...args],
      { cwd: repo, env: cleanEnv(), timeout, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
  })

/** Runs the `workway` command line, as `npx workway` would. */
export const workway = (...args: ReadonlyArray<string>): Promise<Ran> =>
  exec(process.execPath, [path.join(repo, "packages/cli/bin/workway.js"), ...args])

/** A fresh folder for scratch apps, inside the repository so workspace packages resolve. */
export const scratchRoot = path.join(repo, "packages/cli/.tmp")
