import * as Toml from "smol-toml"
import { describe, expect, it } from "vitest"
import * as WranglerConfig from "../src/WranglerConfig"

const app: WranglerConfig.Config = {
  name: "workway-sync",
  main: "src/worker.ts",
  compatibility_date: "2025-09-01",
  vars: { NOTION_VERSION: "2025-09-03" },
  build: { command: "npm run gen" }
}

describe("WranglerConfig.forBundle", () => {
  it("points at the bundle, unbundled, keeping the app's settings and dropping its build", () => {
    const config = WranglerConfig.forBundle(app, { main: "worker.js", exports: ["default"] })
    expect(config).toMatchObject({
      name: "workway-sync",
      main: "worker.js",
      no_bundle: true,
      compatibility_date: "2025-09-01",
      vars: { NOTION_VERSION: "2025-09-03" }
    })
    expect(config.build).toBeUndefined()
    expect(config.durable_objects).toBeUndefined()
    expect(config.migrations).toBeUndefined()
  })

  it("binds the workway state Durable Objects the Worker exports, with a migration", () => {
    const config = WranglerConfig.forBundle(app, {
      main: "worker.js",
      exports: ["default", "RateLimitStore", "StateStore"]
    })
    expect(config.durable_objects?.bindings).toEqual([
      { name: "WORKWAY_RATE_LIMITER", class_name: "RateLimitStore" },
      { name: "WORKWAY_STATE", class_name: "StateStore" }
    ])
    expect(config.migrations).toEqual([
      { tag: "workway-state-v1", new_sqlite_classes: ["RateLimitStore", "StateStore"] }
    ])
  })

  it("leaves bindings and migrations the app already declares as they are", () => {
    const declared: WranglerConfig.Config = {
      ...app,
      durable_objects: { bindings: [{ name: "LIMITS", class_name: "RateLimitStore" }] },
      migrations: [{ tag: "v1", new_sqlite_classes: ["RateLimitStore"] }]
    }
    const config = WranglerConfig.forBundle(declared, {
      main: "worker.js",
      exports: ["default", "RateLimitStore"]
    })
    expect(config.durable_objects?.bindings).toEqual([
      { name: "LIMITS", class_name: "RateLimitStore" }
    ])
    expect(config.migrations).toEqual([{ tag: "v1", new_sqlite_classes: ["RateLimitStore"] }])
  })

  it("writes TOML that reads back as the same config", () => {
    const config = WranglerConfig.forBundle(app, {
      main: "worker.js",
      exports: ["default", "StateStore"]
    })
    const text = WranglerConfig.stringify(config, "Generated; edit the app's own file")
    expect(text.startsWith("# Generated; edit the app's own file\n")).toBe(true)
    expect(Toml.parse(text)).toEqual(JSON.parse(JSON.stringify(config)))
  })
})
