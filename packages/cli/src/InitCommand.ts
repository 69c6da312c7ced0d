import * as path from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as App from "./App"
import * as Scaffold from "./Scaffold"

const name = Args.text({ name: "name" }).pipe(
  Args.withDescription("The app's name: lowercase letters, digits and dashes")
)
const dir = Options.directory("dir").pipe(
  Options.withDescription("The folder to create the app in (default: apps/ of the repository)"),
  Options.optional
)

/** Where new apps go by default: `apps/` of the repository, or of the current folder. */
const defaultParent = (): string => path.join(App.repoRoot() ?? process.cwd(), "apps")

/** `workway init <name> [--dir <folder>]`: scaffolds a new workflow app. */
export const command = Command.make("init", { name, dir }, (options) =>
  Effect.gen(function* () {
    const parent = Option.getOrElse(options.dir, defaultParent)
    const created = yield* Scaffold.scaffold({ name: options.name, parent })
    const shown = App.display(created)
    const next = [
      [`npx vitest run --root ${shown}`, "test it against the fakes"],
      [`npx workway run ${shown}`, "run it once in Node, against the fakes"],
      [`npx workway dev ${shown}`, "serve it in workerd on 127.0.0.1:8787"],
      [`npx workway deploy ${shown} --dry-run`, "see what would be deployed"]
    ] as const
    const width = Math.max(...next.map(([command]) => command.length))
    yield* Console.log(
      [
        `Created ${shown}: a workflow that posts a greeting to Slack.`,
        "",
        "Next:",
        ...next.map(([command, what]) => `  ${command.padEnd(width)}  ${what}`),
        "",
        ...(App.repoRoot(created) === undefined
          ? [
              "It imports the @workway packages: create it inside the workway repository, where",
              "they resolve as workspaces, or install them next to it."
            ]
          : [
              "Run `npm install` to link it as a workspace, and add it to vitest.workspace.ts so",
              "`npm test` runs its tests."
            ])
      ].join("\n")
    )
  })
).pipe(Command.withDescription("Create a new workflow app (in apps/ unless --dir is given)"))
