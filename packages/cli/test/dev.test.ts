import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Dev from "../src/Dev"
import * as Scaffold from "../src/Scaffold"
import { scratchRoot } from "./support/cli"

let parent: string
let appDir: string
let scope: Scope.CloseableScope
let server: Dev.DevServer

beforeAll(async () => {
  fs.mkdirSync(scratchRoot, { recursive: true })
  parent = fs.mkdtempSync(path.join(scratchRoot, "dev-"))
  appDir = await Effect.runPromise(Scaffold.scaffold({ name: "reloader", parent }))
  scope = await Effect.runPromise(Scope.make())
  server = await Effect.runPromise(
    Dev.start({ appDir, port: 0, fakes: true, env: {} }).pipe(Scope.extend(scope))
  )
})

afterAll(async () => {
  if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  fs.rmSync(parent, { recursive: true, force: true })
})

/** Runs the greeting and answers the text the fake Slack received. */
const greet = async () => {
  const { status } = await server.execute({ name: "Ada", channel: "#general" })
  const messages = server.fakes?.slack.state.messages.get("C0GENERAL1") ?? []
  return { status, text: messages.at(-1)?.text }
}

describe("workway dev", () => {
  it("serves the app's Worker and reloads it when a source file changes", async () => {
    expect(await greet()).toEqual({ status: 200, text: "Hello, Ada!" })

    const workflow = path.join(appDir, "src/workflow.ts")
    fs.writeFileSync(
      workflow,
      fs.readFileSync(workflow, "utf8").replace("Hello, ", "Good morning, ")
    )
    let latest = await greet()
    for (let i = 0; i < 60 && latest.text !== "Good morning, Ada!"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      latest = await greet().catch(() => latest)
    }
    expect(latest).toEqual({ status: 200, text: "Good morning, Ada!" })
  })
})
