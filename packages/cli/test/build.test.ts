import * as fs from "node:fs"
import * as path from "node:path"
import { Fakes } from "@workway/testing"
import { Effect } from "effect"
import * as Toml from "smol-toml"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type * as App from "../src/App"
import * as Build from "../src/Build"
import * as Dev from "../src/Dev"
import * as Scaffold from "../src/Scaffold"
import * as WranglerConfig from "../src/WranglerConfig"
import { repo, scratchRoot, workway } from "./support/cli"

const meetingNotes: App.App = {
  dir: path.join(repo, "apps/meeting-notes"),
  name: "meeting-notes",
  display: "apps/meeting-notes"
}
const payload: unknown = JSON.parse(
  fs.readFileSync(path.join(meetingNotes.dir, "test-payload.json"), "utf8")
)

let scratch: string
let bundle: Build.Bundle

beforeAll(async () => {
  fs.mkdirSync(scratchRoot, { recursive: true })
  scratch = fs.mkdtempSync(path.join(scratchRoot, "build-"))
  bundle = await Effect.runPromise(
    Build.build(meetingNotes, { outDir: path.join(scratch, "meeting-notes") })
  )
})

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true })
})

describe("workway build", () => {
  it("bundles meeting-notes into one minified module and measures it", () => {
    const code = fs.readFileSync(bundle.script, "utf8")
    expect(bundle.bytes).toBe(Buffer.byteLength(code))
    expect(bundle.gzipBytes).toBeGreaterThan(0)
    expect(bundle.gzipBytes).toBeLessThan(bundle.bytes / 2)
    expect(code).not.toMatch(/^\s*import\s.*from\s*"(?!cloudflare:|node:)/m)
    expect(bundle.exports).toContain("default")
    expect(bundle.contributors[0]?.name).toBe("effect")
  })

  it("writes a wrangler.toml for the bundle with the app's settings", () => {
    const written = Toml.parse(fs.readFileSync(bundle.configFile, "utf8"))
    expect(written).toMatchObject({
      name: "workway-meeting-notes",
      main: "worker.js",
      no_bundle: true,
      compatibility_date: "2025-09-01",
      vars: { NOTION_VERSION: "2025-09-03" }
    })
  })

  it("produces a bundle that serves the sample run in workerd", async () => {
    const fakes = Fakes.make()
    const served = await fakes.serveAll()
    process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false"
    const { unstable_dev } = await import("wrangler")
    const worker = await unstable_dev(bundle.script, {
      config: bundle.configFile,
      ip: "127.0.0.1",
      port: 0,
      vars: Dev.fakeVars(served.urls),
      logLevel: "warn",
      // State outside the bundle's folder: wrangler reloads on any change under it.
      persistTo: path.join(scratch, "state"),
      experimental: { disableExperimentalWarning: true, disableDevRegistry: true }
    })
    try {
      const send = () =>
        fetch(`http://127.0.0.1:${worker.port}/execute`, {
          method: "POST",
          body: JSON.stringify(payload),
          headers: { "content-type": "application/json" }
        })
      const response = await send()
      const body = (await response.json()) as { success: boolean }
      expect(response.status).toBe(200)
      expect(body.success).toBe(true)
      expect(fakes.notion.state.pages.size).toBeGreaterThan(0)
    } finally {
      await worker.stop()
      await served.close()
    }
  })

  it("binds the workway state Durable Objects a Worker exports", async () => {
    const dir = await Effect.runPromise(Scaffold.scaffold({ name: "stateful", parent: scratch }))
    const worker = path.join(dir, "src/worker.ts")
    fs.appendFileSync(worker, 'export { RateLimitStore, StateStore } from "@workway/worker"\n')
    const app: App.App = { dir, name: "stateful", display: dir }
    const built = await Effect.runPromise(Build.build(app))
    expect(built.configFile).toBe(path.join(dir, "dist/wrangler.toml"))
    expect(built.exports).toEqual(expect.arrayContaining(["RateLimitStore", "StateStore"]))
    expect(built.config.durable_objects?.bindings?.map((binding) => binding.name)).toEqual([
      "WORKWAY_RATE_LIMITER",
      "WORKWAY_STATE"
    ])
  })
})

describe("workway deploy --dry-run", () => {
  it("shows the Worker's name, bindings and size without uploading anything", async () => {
    const out = path.join(scratch, "deploy")
    const ran = await workway("deploy", "meeting-notes", "--dry-run", "--out-dir", out)
    expect(ran.stderr).not.toContain("error:")
    expect(ran.code).toBe(0)
    expect(ran.stdout).toContain("Would deploy workway-meeting-notes:")
    expect(ran.stdout).toMatch(/script: .*worker\.js \([\d.]+ KiB, [\d.]+ KiB gzip\)/)
    expect(ran.stdout).toContain(
      `bindings: ${WranglerConfig.describeBindings(bundle.config).join(", ")}`
    )
    expect(ran.stdout).toContain("var NOTION_VERSION")
    expect(ran.stdout).toMatch(/Total Upload: [\d.]+ KiB \/ gzip: [\d.]+ KiB/)
    expect(fs.existsSync(path.join(out, "deploy", "worker.js"))).toBe(true)
  })

  it("fails with wrangler's reason when the config is wrong", async () => {
    const dir = await Effect.runPromise(Scaffold.scaffold({ name: "broken", parent: scratch }))
    fs.writeFileSync(
      path.join(dir, "wrangler.toml"),
      'name = "workway-broken"\nmain = "src/worker.ts"\ncompatibility_date = "2025-09-01"\n' +
        'compatibility_flags = "nodejs_compat"\n'
    )
    const ran = await workway("deploy", dir, "--dry-run")
    expect(ran.code).not.toBe(0)
    expect(ran.stderr).toContain("wrangler deploy of")
    expect(ran.stderr).toContain("its output above says why")
    expect(ran.stdout + ran.stderr).toContain(
      'Expected "compatibility_flags" to be of type string array'
    )
  })
})
