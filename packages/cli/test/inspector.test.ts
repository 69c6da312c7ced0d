import * as fs from "node:fs"
import * as path from "node:path"
import type { RunReport } from "@workway/core"
import { Effect, Exit, Scope } from "effect"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Dev from "../src/Dev"
import { chromiumArgs, ensureChromium } from "./support/chromium"
import { repo, scratchRoot } from "./support/cli"
import { countInk, countNear, decode } from "./support/png"

const appDir = path.join(repo, "apps/meeting-notes")
const payload: unknown = JSON.parse(fs.readFileSync(path.join(appDir, "test-payload.json"), "utf8"))

/** Where the screenshot is kept for a person to look at; ignored by git. */
const screenshotFile = path.join(scratchRoot, "inspector-run.png")

let scope: Scope.CloseableScope
let server: Dev.DevServer
let browser: Browser
let page: Page
let report: RunReport.RunReport

beforeAll(async () => {
  const executablePath = ensureChromium()
  scope = await Effect.runPromise(Scope.make())
  server = await Effect.runPromise(
    Dev.start({ appDir, port: 0, fakes: true, env: {} }).pipe(Scope.extend(scope))
  )
  const { status, body } = await server.execute(payload)
  expect(status).toBe(200)
  report = (body as { report: RunReport.RunReport }).report
  browser = await chromium.launch({ executablePath, args: chromiumArgs })
  page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
}, 600_000)

afterAll(async () => {
  await browser?.close()
  if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
})

describe("the run inspector of meeting-notes in headless Chromium", () => {
  it("lists the sample run and links to its page", async () => {
    await page.goto(`${server.url}/__workway`)
    const link = page.locator(`a[href="/__workway/runs/${report.runId}"]`)
    await expect(link.count()).resolves.toBe(1)
    await link.click()
    await page.waitForURL(`**/__workway/runs/${report.runId}`)
    await expect(page.locator("h1").textContent()).resolves.toContain("meeting-notes")
  })

  it("draws a bar per call of the run, coloured per integration, and paints them", async () => {
    await page.goto(`${server.url}/__workway/runs/${report.runId}`)
    const bars = page.locator('svg g[data-kind="call"]')
    await expect(bars.count()).resolves.toBe(report.calls.length)
    expect(report.calls.length).toBeGreaterThanOrEqual(8)

    const drawn = await bars.evaluateAll((groups) =>
      groups.map((group) => {
        const bar = group.querySelector('rect[data-part="call"]')
        const box = bar?.getBoundingClientRect()
        return {
          integration: group.getAttribute("data-integration"),
          call: group.getAttribute("data-call"),
          fill: bar?.getAttribute("fill"),
          width: box?.width ?? 0,
          height: box?.height ?? 0
        }
      })
    )
    const expected = [...report.calls]
      .sort((a, b) => a.startMs - b.startMs)
      .map((call) => `${call.integration} ${call.call}`)
    expect(drawn.map((bar) => `${bar.integration} ${bar.call}`).sort()).toEqual(expected.sort())
    for (const bar of drawn) {
      expect(bar.width).toBeGreaterThan(0)
      expect(bar.height).toBeGreaterThan(5)
    }
    const fills = new Map(drawn.map((bar) => [bar.integration, bar.fill]))
    expect(new Set(fills.values()).size).toBe(Object.keys(report.integrations).length)

    const steps = page.locator('svg g[data-kind="step"]')
    await expect(steps.count()).resolves.toBe(report.steps.length)

    const png = await page.screenshot({ fullPage: true })
    fs.mkdirSync(scratchRoot, { recursive: true })
    fs.writeFileSync(screenshotFile, png)
    const image = decode(png)
    expect(png.byteLength).toBeGreaterThan(20_000)
    expect(countInk(image)).toBeGreaterThan(image.width * image.height * 0.02)
    for (const fill of fills.values()) {
      expect(countNear(image, fill ?? "#000000", 8), `pixels of ${fill}`).toBeGreaterThan(50)
    }
  })

  it("loads nothing from outside the Worker", async () => {
    const requests: Array<string> = []
    page.on("request", (request) => requests.push(request.url()))
    await page.goto(`${server.url}/__workway/runs/${report.runId}`)
    expect(requests.every((url) => url.startsWith(server.url))).toBe(true)
    await expect(page.locator("script").count()).resolves.toBe(0)
  })
})
