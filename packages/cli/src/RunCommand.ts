import * as path from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as App from "./App"
import * as Progress from "./Progress"
import * as ReportTable from "./ReportTable"
import * as Run from "./Run"

const app = Args.text({ name: "app" }).pipe(
  Args.withDescription("The app: a folder, or the name of one under apps/")
)
const payload = Options.file("payload").pipe(
  Options.withDescription("The trigger payload, a JSON file (default <app>/test-payload.json)"),
  Options.optional
)
const inputs = Options.file("inputs").pipe(
  Options.withDescription(
    "The workflow's inputs, a JSON file (default: from src/layer.ts `inputs`)"
  ),
  Options.optional
)
const live = Options.boolean("live").pipe(
  Options.withDescription(
    "Call the real vendor APIs with the credentials in the environment instead of the fakes"
  )
)
const expect = Options.integer("expect").pipe(
  Options.withDescription("Calls the run is expected to make, to show an ETA while it runs"),
  Options.optional
)
const latency = Options.integer("latency").pipe(
  Options.withDescription(
    "Against the fakes: delay each response by half to all of this many milliseconds"
  ),
  Options.optional
)
const json = Options.boolean("json").pipe(
  Options.withDescription("Print the outcome and report as JSON instead of tables")
)

/** `workway run <app>`: runs the workflow once in Node and prints where the time went. */
export const command = Command.make(
  "run",
  { app, payload, inputs, live, latency, expect, json },
  (options) =>
    Effect.gen(function* () {
      const resolved = yield* App.resolve(options.app)
      const payloadFile = Option.getOrElse(options.payload, () =>
        path.join(resolved.dir, App.files.payload)
      )
      const trigger = yield* App.readJson(payloadFile)
      const given = Option.isSome(options.inputs)
        ? { inputs: yield* App.readJson(options.inputs.value) }
        : {}
      yield* Console.error(
        options.live
          ? `Running ${resolved.display} with ${App.display(payloadFile)} against the real vendor APIs.`
          : `Running ${resolved.display} with ${App.display(payloadFile)} against in-process ` +
              `fakes (--live calls the real APIs).`
      )
      const { execution } = yield* Run.run({
        app: resolved,
        payload: trigger,
        live: options.live,
        ...given,
        ...(Option.isSome(options.latency)
          ? {
              fakes: { latency: { minMs: options.latency.value / 2, maxMs: options.latency.value } }
            }
          : {}),
        watch: (recorder) =>
          Progress.show(recorder, {
            tty: process.stderr.isTTY === true,
            write: (text) => void process.stderr.write(text),
            ...(Option.isSome(options.expect) ? { expected: options.expect.value } : {})
          })
      })
      const { report } = execution
      if (options.json) {
        yield* Console.log(JSON.stringify(execution, null, 2))
      } else {
        yield* Console.log(ReportTable.render(report, execution.success ? "success" : "failed"))
        if (execution.success) {
          yield* Console.log(`\nresult: ${JSON.stringify(execution.result, null, 2)}`)
        }
      }
      if (!execution.success) {
        return yield* new App.CliError({
          message: `The run failed: ${Run.describeFailure(execution.error)}`
        })
      }
    })
).pipe(
  Command.withDescription(
    "Run an app's workflow once in Node against fakes (or --live), with progress and a run report"
  )
)
