import * as fs from "node:fs"
import * as path from "node:path"
import * as zlib from "node:zlib"
import { Effect } from "effect"
import type { Metafile } from "esbuild"
import { type App, CliError, display, files } from "./App"
import * as WranglerConfig from "./WranglerConfig"

/** What a build produced. */
export interface Bundle {
  readonly outDir: string
  /** The bundled Worker, `<outDir>/worker.js`. */
  readonly script: string
  /** The config to deploy it with, `<outDir>/wrangler.toml`. */
  readonly configFile: string
  readonly config: WranglerConfig.Config
  readonly bytes: number
  readonly gzipBytes: number
  /** The names the Worker's module exports. */
  readonly exports: ReadonlyArray<string>
  /** Bytes of the bundle each package contributed, largest first. */
  readonly contributors: ReadonlyArray<Contribution>
  /** Bytes of the bundle each source file contributed, largest first. */
  readonly modules: ReadonlyArray<Contribution>
}

/** What one package or file adds to a bundle, in bytes of minified output. */
export interface Contribution {
  readonly name: string
  readonly bytes: number
}

/** Options of a build. */
export interface BuildOptions {
  /** Where the bundle and its config go (default `<app>/dist`). */
  readonly outDir?: string
  readonly minify?: boolean
}

const manifestNames = new Map<string, string | undefined>()

/** The name in the nearest package.json above a file, if any. */
const nearestPackage = (dir: string): string | undefined => {
  if (manifestNames.has(dir)) return manifestNames.get(dir)
  const manifest = path.join(dir, "package.json")
  const parent = path.dirname(dir)
  let name: string | undefined
  if (fs.existsSync(manifest)) {
    try {
      name = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name
    } catch {
      name = undefined
    }
  }
  if (name === undefined && parent !== dir) name = nearestPackage(parent)
  manifestNames.set(dir, name)
  return name
}

/** The package a bundled file belongs to: its npm name, or the name of its workspace package. */
const packageOf = (input: string): string => {
  const modules = input.lastIndexOf("node_modules/")
  if (modules >= 0) {
    const [scope, name] = input.slice(modules + "node_modules/".length).split("/")
    return scope?.startsWith("@") === true ? `${scope}/${name}` : (scope ?? input)
  }
  return nearestPackage(path.dirname(path.resolve(input))) ?? input
}

/** Bytes of the output each package (or, with `byFile`, each file) contributed, largest first. */
export const contributors = (metafile: Metafile, byFile = false): ReadonlyArray<Contribution> => {
  const totals = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = byFile ? input.replace(/^.*node_modules\//, "") : packageOf(input)
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput)
    }
  }
  return [...totals.entries()]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
}

/** Bytes in KiB with one decimal. */
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`

const failed = (app: App, cause: unknown) =>
  new CliError({
    message: `Bundling ${app.display} failed: ${cause instanceof Error ? cause.message : String(cause)}`
  })

/**
 * Bundles an app's Worker for workerd (ES module, browser conditions, minified) into
 * `<outDir>/worker.js`, and writes `<outDir>/wrangler.toml` with the bindings it needs: the app's
 * own, plus the workway state Durable Objects the Worker exports.
 */
export const build = (app: App, options: BuildOptions = {}): Effect.Effect<Bundle, CliError> =>
  Effect.gen(function* () {
    const outDir = path.resolve(options.outDir ?? path.join(app.dir, "dist"))
    const script = path.join(outDir, "worker.js")
    const configFile = path.join(outDir, "wrangler.toml")
    const appConfig = yield* WranglerConfig.read(path.join(app.dir, files.config))
    const esbuild = yield* Effect.promise(() => import("esbuild"))
    const result = yield* Effect.tryPromise({
      try: () =>
        esbuild.build({
          entryPoints: [path.join(app.dir, files.worker)],
          outfile: script,
          bundle: true,
          format: "esm",
          platform: "neutral",
          target: "es2022",
          conditions: ["workerd", "worker", "browser"],
          mainFields: ["module", "main"],
          external: ["cloudflare:*", "node:*"],
          minify: options.minify ?? true,
          metafile: true,
          legalComments: "none",
          logLevel: "silent"
        }),
      catch: (cause) => failed(app, cause)
    })
    const code = fs.readFileSync(script)
    const exports = Object.values(result.metafile.outputs).flatMap((output) => output.exports)
    const config = WranglerConfig.forBundle(appConfig, { main: "worker.js", exports })
    fs.writeFileSync(
      configFile,
      WranglerConfig.stringify(
        config,
        [
          `Generated by \`workway build\` from ` +
            `${path.relative(outDir, path.join(app.dir, files.config))}; edit that file ` +
            `instead.`,
          "Wrangler reloads on any change in this folder, so serve the bundle with its state elsewhere;",
          "from the app's folder: wrangler dev -c dist/wrangler.toml --persist-to .wrangler/state"
        ].join("\n")
      )
    )
    return {
      outDir,
      script,
      configFile,
      config,
      bytes: code.byteLength,
      gzipBytes: zlib.gzipSync(code).byteLength,
      exports,
      contributors: contributors(result.metafile),
      modules: contributors(result.metafile, true)
    }
  })

/** A build's outcome as lines for the terminal. */
export const describe = (bundle: Bundle): ReadonlyArray<string> => {
  const bindings = WranglerConfig.describeBindings(bundle.config)
  return [
    `Bundled ${display(bundle.script)}: ${kib(bundle.bytes)}, ${kib(bundle.gzipBytes)} gzip ` +
      `(${bundle.bytes} and ${bundle.gzipBytes} bytes)`,
    `  largest: ${bundle.contributors
      .slice(0, 5)
      .map((c) => `${c.name} ${kib(c.bytes)}`)
      .join(", ")}`,
    `Wrote ${display(bundle.configFile)}: ${bundle.config.name ?? "(no name)"}${
      bindings.length === 0 ? ", no bindings" : `, ${bindings.join(", ")}`
    }`
  ]
}
