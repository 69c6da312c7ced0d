import * as path from "node:path"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as App from "./App"
import * as Build from "./Build"
import * as Deploy from "./Deploy"
import * as WranglerConfig from "./WranglerConfig"

const app = Args.text({ name: "app" }).pipe(
  Args.withDescription("The app: a folder, or the name of one under apps/")
)
const outDir = Options.directory("out-dir").pipe(
  Options.withDescription("Where the bundle and its wrangler.toml go (default <app>/dist)"),
  Options.optional
)
const analyze = Options.boolean("analyze").pipe(
  Options.withDescription("Also list the 20 source files that add most to the bundle")
)
const dryRun = Options.boolean("dry-run").pipe(
  Options.withDescription(
    "Bundle and validate with `wrangler deploy --dry-run`, offline: nothing is uploaded"
  )
)

const bundleOf = (argument: string, out: string | undefined) =>
  Effect.gen(function* () {
    const resolved = yield* App.resolve(argument)
    const bundle = yield* Build.build(resolved, out === undefined ? {} : { outDir: out })
    return { app: resolved, bundle }
  })

/** `workway build <app>`: bundles the Worker and writes the config to deploy it with. */
export const build = Command.make("build", { app, outDir, analyze }, (options) =>
  Effect.gen(function* () {
    const { bundle } = yield* bundleOf(options.app, Option.getOrUndefined(options.outDir))
    for (const line of Build.describe(bundle)) yield* Console.log(line)
    if (options.analyze) {
      yield* Console.log("\nLargest files (minified bytes in the bundle):")
      for (const module of bundle.modules.slice(0, 20)) {
        yield* Console.log(`  ${Build.kib(module.bytes).padStart(10)}  ${module.name}`)
      }
    }
  })
).pipe(
  Command.withDescription(
    "Bundle an app's Worker with esbuild into <app>/dist/worker.js, with a dist/wrangler.toml holding its bindings"
  )
)

/** `workway deploy <app> [--dry-run]`: builds, then runs `wrangler deploy` on the bundle. */
export const deploy = Command.make("deploy", { app, outDir, dryRun }, (options) =>
  Effect.gen(function* () {
    const { app: resolved, bundle } = yield* bundleOf(
      options.app,
      Option.getOrUndefined(options.outDir)
    )
    for (const line of Build.describe(bundle)) yield* Console.log(line)
    const name = bundle.config.name ?? resolved.name
    yield* Console.log(
      options.dryRun
        ? `\nDry run of wrangler deploy for ${name} (nothing is uploaded):\n`
        : `\nDeploying ${name} with wrangler:\n`
    )
    yield* Deploy.deploy(resolved, bundle, { dryRun: options.dryRun })
    const bindings = WranglerConfig.describeBindings(bundle.config)
    yield* Console.log(
      [
        "",
        options.dryRun ? `Would deploy ${name}:` : `Deployed ${name}:`,
        `  script: ${App.display(bundle.script)} (${Build.kib(bundle.bytes)}, ${Build.kib(bundle.gzipBytes)} gzip)`,
        `  bindings: ${bindings.length === 0 ? "none" : bindings.join(", ")}`,
        ...(options.dryRun
          ? [`  wrangler's output: ${App.display(path.join(bundle.outDir, "deploy"))}`]
          : [])
      ].join("\n")
    )
  })
).pipe(
  Command.withDescription(
    "Build an app and deploy it with wrangler; --dry-run shows what would be deployed, offline"
  )
)
