import * as fs from "node:fs"
import * as path from "node:path"
import { Args, Command, Options } from "@effect/cli"
import type { RunReport } from "@workway/core"
import { Console, Effect } from "effect"
import * as App from "./App"
import * as Dev from "./Dev"
import * as ReportTable from "./ReportTable"

const app = Args.text({ name: "app" }).pipe(
  Args.withDescription("The app to serve: a folder, or the name of one under apps/"),
  Args.withDefault("meeting-notes")
)
const port = Options.integer("port").pipe(
  Options.withDescription("Port on 127.0.0.1"),
  Options.withDefault(8787)
)
const fakes = Options.boolean("fakes").pipe(
  Options.withDescription("Use the vendor fakes even when credentials are configured")
)

const describeVendors = (vendors: Dev.Vendors): string =>
  vendors._tag === "Live"
    ? "Calling the real vendor APIs with the credentials in the environment."
    : `Using the fake vendor APIs on loopback: no credentials needed${
        vendors.missing.length === 0
          ? ""
          : ` (to call the real services set ${vendors.missing.join(", ")})`
      }.`

interface ExecuteBody {
  readonly success?: boolean
  readonly result?: unknown
  readonly error?: unknown
  readonly report?: RunReport.RunReport
}

const printExecution = (status: number, body: ExecuteBody) =>
  Effect.gen(function* () {
    if (body.report === undefined) {
      yield* Console.error(`The sample run answered ${status}: ${JSON.stringify(body)}`)
      return
    }
    yield* Console.log(
      ReportTable.render(body.report, body.success === true ? "success" : `failed (${status})`)
    )
    yield* Console.log("")
    yield* Console.log(
      body.success === true
        ? `result: ${JSON.stringify(body.result, null, 2)}`
        : `error: ${JSON.stringify(body.error, null, 2)}`
    )
  })

/** `workway dev [app]`: serves an app in workerd, runs its sample payload once, keeps serving. */
export const command = Command.make("dev", { app, port, fakes }, (options) =>
  Effect.scoped(
    Effect.gen(function* () {
      const resolved = yield* App.resolve(options.app)
      const appDir = resolved.dir
      const server = yield* Dev.start({ appDir, port: options.port, fakes: options.fakes })
      yield* Console.log(`Serving ${resolved.name} in workerd on ${server.url}`)
      yield* Console.log(describeVendors(server.vendors))
      yield* Console.log("Saving a source file reloads the Worker.")
      const payloadFile = path.join(appDir, "test-payload.json")
      const relative = path.relative(process.cwd(), payloadFile)
      if (fs.existsSync(payloadFile)) {
        yield* Console.log(`\nRunning ${relative} once:\n`)
        const payload: unknown = JSON.parse(fs.readFileSync(payloadFile, "utf8"))
        const { status, body } = yield* Effect.promise(() => server.execute(payload))
        yield* printExecution(status, body as ExecuteBody)
      }
      yield* Console.log(
        `\nStill serving. Run it again with:\n  curl -s ${server.url}/execute -d @${relative}`
      )
      yield* Console.log(`See its recent runs at ${server.url}/__workway`)
      yield* Console.log("Press Ctrl+C to stop.")
      return yield* Effect.never
    })
  )
).pipe(
  Command.withDescription(
    "Serve an app's Worker in workerd on 127.0.0.1, reloading on save, and run its sample payload once"
  )
)
