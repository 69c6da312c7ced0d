import * as fs from "node:fs"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exec, repo, scratchRoot, workway } from "./support/cli"

let parent: string
const name = "greeter-app"
let appDir: string

beforeAll(() => {
  fs.mkdirSync(scratchRoot, { recursive: true })
  parent = fs.mkdtempSync(path.join(scratchRoot, "init-"))
  appDir = path.join(parent, name)
})

afterAll(() => {
  fs.rmSync(parent, { recursive: true, force: true })
})

describe("workway init", () => {
  it("scaffolds an app whose own test passes against the fakes", async () => {
    const created = await workway("init", name, "--dir", parent)
    expect(created.stderr).toBe("")
    expect(created.code).toBe(0)
    for (const file of [
      "package.json",
      "wrangler.toml",
      "src/workflow.ts",
      "src/layer.ts",
      "src/worker.ts",
      "test-payload.json",
      "test/workflow.test.ts",
      "vitest.config.ts"
    ]) {
      expect(fs.existsSync(path.join(appDir, file)), file).toBe(true)
    }

    const tested = await exec(process.execPath, [
      path.join(repo, "node_modules/vitest/vitest.mjs"),
      "run",
      "--root",
      appDir
    ])
    expect(tested.stdout + tested.stderr).toMatch(/Tests\s+2 passed \(2\)/)
    expect(tested.code).toBe(0)
  })

  it("refuses to overwrite an existing folder, leaving it untouched", async () => {
    const workflow = path.join(appDir, "src/workflow.ts")
    fs.writeFileSync(workflow, "// edited\n")
    const again = await workway("init", name, "--dir", parent)
    expect(again.code).not.toBe(0)
    expect(again.stderr).toContain("already exists; choose another name or --dir")
    expect(fs.readFileSync(workflow, "utf8")).toBe("// edited\n")
  })

  it("refuses a name that cannot name a package and a Worker", async () => {
    const bad = await workway("init", "Not_A_Name", "--dir", parent)
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain("is not a valid app name")
    expect(fs.existsSync(path.join(parent, "Not_A_Name"))).toBe(false)
  })
})

describe("workway run", () => {
  it("runs a new app's workflow in Node against the fakes and prints its report", async () => {
    const dir = path.join(parent, "runner")
    expect((await workway("init", "runner", "--dir", parent)).code).toBe(0)
    const ran = await workway("run", dir)
    expect(ran.code).toBe(0)
    expect(ran.stderr).toContain("against in-process fakes")
    expect(ran.stdout).toMatch(/runner 0\.1\.0 · run [0-9a-f-]+ · [\d.]+ ms · success/)
    expect(ran.stdout).toMatch(/\nslack\s+1\s+0\s+0/)
    expect(ran.stdout).toContain('"channel": "C0GENERAL1"')

    const json = await workway("run", dir, "--json")
    expect(JSON.parse(json.stdout)).toMatchObject({ success: true, report: { workflow: "runner" } })
  })

  it("fails with what to do when the app does not exist or the payload does not fit", async () => {
    const missing = await workway("run", "no-such-app")
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toContain("No app named no-such-app")
    expect(missing.stdout).toBe("")

    const payload = path.join(parent, "bad-payload.json")
    fs.writeFileSync(payload, JSON.stringify({ name: "Ada" }))
    const invalid = await workway("run", path.join(parent, "runner"), "--payload", payload)
    expect(invalid.code).not.toBe(0)
    expect(invalid.stderr).toContain("$.channel")
  })
})

/** Text without the terminal's colour codes. */
const plain = (text: string) =>
  text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "")

describe("workway --help", () => {
  it("documents every command", async () => {
    const commands = ["init", "dev", "run", "build", "deploy"]
    const helps = await Promise.all(commands.map((command) => workway(command, "--help")))
    for (const [index, help] of helps.entries()) {
      const command = commands[index]
      expect(help.code, command).toBe(0)
      expect(plain(help.stdout), command).toContain(`$ ${command}`)
      expect(plain(help.stdout), command).toContain("DESCRIPTION")
    }
  })
})
