import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { CliError, display } from "./App"

/** What `workway init` creates. */
export interface ScaffoldOptions {
  /** The app's name: lowercase letters, digits and dashes. */
  readonly name: string
  /** The folder the app's folder is created in. */
  readonly parent: string
}

/** A valid app name: it names the folder, the package and (prefixed) the Worker. */
export const validName = /^[a-z][a-z0-9-]{0,62}$/

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/** The files of a new app, by path relative to its folder. */
export const files = (name: string): Readonly<Record<string, string>> => ({
  "package.json": json({
    name: `@workway/${name}`,
    version: "0.1.0",
    private: true,
    description: "Posts a greeting to a Slack channel",
    type: "module",
    scripts: {
      dev: "workway dev .",
      start: "workway run . --payload test-payload.json",
      test: "vitest run",
      build: "workway build .",
      deploy: "workway deploy ."
    },
    dependencies: {
      "@effect/platform": "~0.97.2",
      "@workway/core": "0.1.0",
      "@workway/http": "0.1.0",
      "@workway/integrations": "0.1.0",
      "@workway/worker": "0.1.0",
      effect: "~3.22.4"
    },
    devDependencies: {
      "@effect/vitest": "0.30.0",
      "@workway/testing": "0.1.0",
      vitest: "~3.2.7",
      workway: "0.1.0"
    }
  }),
  "wrangler.toml": `# The ${name} Worker. The Slack token is a secret: \`npx wrangler secret put SLACK_BOT_TOKEN\`.
# Without it \`workway dev\` and \`workway run\` call the fake Slack instead.
name = "workway-${name}"
main = "src/worker.ts"
compatibility_date = "2025-09-01"
`,
  "test-payload.json": json({ name: "Ada", channel: "#general" }),
  "vitest.config.ts": `import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "${name}",
    include: ["test/**/*.test.ts"]
  }
})
`,
  "src/workflow.ts": `import { RunReport, Trigger, Workflow } from "@workway/core"
import { Slack } from "@workway/integrations"
import { Effect, Schema } from "effect"

/** Who to greet, and in which Slack channel. */
export const Greeting = Schema.Struct({
  name: Schema.NonEmptyTrimmedString,
  channel: Schema.NonEmptyTrimmedString
})

/** Posts a greeting to a Slack channel and answers where it was posted. */
export const workflow = Workflow.make({
  name: "${name}",
  version: "0.1.0",
  trigger: Trigger.manual({ payload: Greeting }),
  inputs: Schema.Struct({}),
  run: ({ trigger }) =>
    Effect.gen(function* () {
      const slack = yield* Slack.Slack
      const posted = yield* slack.chat
        .postMessage({ channel: trigger.channel, text: \`Hello, \${trigger.name}!\` })
        .pipe(RunReport.step("post the greeting"))
      return { channel: posted.channel, ts: posted.ts }
    })
})
`,
  "src/layer.ts": `import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { RateLimiter } from "@workway/http"
import { Slack } from "@workway/integrations"
import { Layer } from "effect"

/** The services the workflow needs, configured from the environment (\`SLACK_BOT_TOKEN\`). */
export const live = Slack.layer().pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RateLimiter.layerMemory)
)

/** The workflow's inputs, from the Worker's vars; this workflow has none. */
export const inputs = (_env: Readonly<Record<string, unknown>>) => ({})
`,
  "src/worker.ts": `import { Worker } from "@workway/worker"
import { inputs, live } from "./layer"
import { workflow } from "./workflow"

/** The ${name} Worker: \`POST /execute\` with a greeting. */
export default Worker.make({ workflow, layer: live, inputs })
`,
  "test/workflow.test.ts": `import { describe, expect, it } from "@effect/vitest"
import { Workflow } from "@workway/core"
import { RateLimiter } from "@workway/http"
import { Slack } from "@workway/integrations"
import { Fakes, Samples } from "@workway/testing"
import { Effect, Layer, Redacted } from "effect"
import { workflow } from "../src/workflow"

/** Slack pointed at the in-process fake through its real URL. */
const withFakes = (fakes: Fakes.Fakes) =>
  Slack.layer({ token: Redacted.make(Samples.credentials.slack.token) }).pipe(
    Layer.provide(fakes.layer),
    Layer.provide(RateLimiter.layerMemory)
  )

describe("${name}", () => {
  it.effect("posts the greeting to the channel", () => {
    const fakes = Fakes.make()
    return Effect.gen(function* () {
      const execution = yield* Workflow.execute(workflow, {
        trigger: { name: "Ada", channel: "#general" }
      })
      if (!execution.success) throw new Error(\`run failed: \${JSON.stringify(execution.error)}\`)
      const messages = fakes.slack.state.messages.get(execution.result.channel) ?? []
      expect(messages.map((message) => message.text)).toContain("Hello, Ada!")
      expect(execution.report.integrations.slack?.calls).toBe(1)
    }).pipe(Effect.provide(withFakes(fakes)))
  })

  it.effect("refuses a payload without a channel", () => {
    const fakes = Fakes.make()
    return Effect.gen(function* () {
      const error = yield* Effect.flip(Workflow.execute(workflow, { trigger: { name: "Ada" } }))
      expect(error.issues.map((issue) => issue.path)).toContain("$.channel")
      expect(fakes.slack.state.posted).toBe(0)
    }).pipe(Effect.provide(withFakes(fakes)))
  })
})
`
})

/**
 * Creates a new app named `name` in `parent`, refusing to touch a folder that already exists.
 * Answers the app's folder.
 */
export const scaffold = (options: ScaffoldOptions): Effect.Effect<string, CliError> =>
  Effect.gen(function* () {
    if (!validName.test(options.name)) {
      return yield* new CliError({
        message:
          `"${options.name}" is not a valid app name: use lowercase letters, digits and ` +
          `dashes, starting with a letter (e.g. "weekly-digest")`
      })
    }
    const dir = path.resolve(options.parent, options.name)
    if (fs.existsSync(dir)) {
      return yield* new CliError({
        message: `${display(dir)} already exists; choose another name or --dir, or remove it first`
      })
    }
    yield* Effect.try({
      try: () => {
        for (const [file, content] of Object.entries(files(options.name))) {
          const target = path.join(dir, file)
          fs.mkdirSync(path.dirname(target), { recursive: true })
          fs.writeFileSync(target, content, { flag: "wx" })
        }
      },
      catch: (cause) =>
        new CliError({
          message: `Cannot create ${display(dir)}: ${cause instanceof Error ? cause.message : String(cause)}`
        })
    })
    return dir
  })
