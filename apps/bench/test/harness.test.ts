import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, describe, expect, it } from "vitest"

const benchDir = fileURLToPath(new URL("..", import.meta.url))
const work = mkdtempSync(join(tmpdir(), "workway-bench-"))

const fields = [
  "client",
  "wallMs",
  "floorMs",
  "ratio",
  "requests",
  "throttled",
  "failed",
  "duplicates",
  "lost",
  "cpuUsPerCall",
  "peakRssMb"
]

/** Runs the bench command line with tiny sizes and answers the JSON it wrote. */
const bench = async (args: ReadonlyArray<string>) => {
  const json = join(work, `${args.join("-").replaceAll(/[^a-z-]/g, "")}.json`)
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "--quick", "--json", json, "--svg-dir", work, ...args],
    { cwd: benchDir, timeout: 60_000 }
  )
  return { stdout, report: JSON.parse(readFileSync(json, "utf8")) }
}

afterAll(() => rmSync(work, { recursive: true, force: true }))

describe("the bench harness", () => {
  it("runs every client on the steady scenario and counts on the fake's side", async () => {
    const { stdout, report } = await bench(["--scenario", "steady"])

    expect(report.scenario).toBe("steady")
    expect(report.params.items).toBe(20)
    expect(report.results.map((r: { client: string }) => r.client)).toEqual([
      "naive",
      "chunks",
      "limit3",
      "p-queue",
      "bottleneck",
      "workway"
    ])
    for (const result of report.results) {
      for (const field of fields) expect(result).toHaveProperty(field)
      expect(result.requests).toBeGreaterThanOrEqual(report.params.items)
      expect(typeof result.duplicates).toBe("number")
      expect(typeof result.lost).toBe("number")
      expect(result.completed + result.failed).toBe(report.params.items)
      expect(result.lost).toBeLessThanOrEqual(result.failed)
      expect(result.cpuUsPerCall).toBeNull()
    }
    expect(stdout).toContain("| workway |")
    expect(stdout).toMatch(/workway targets: ratio <= 1\.05: [\d.]+ — (met|MISSED)/)
    expect(readFileSync(join(work, "steady.svg"), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>$/)
  })

  it("counts upstream calls of lookups, which workway answers once per distinct id", async () => {
    const { report } = await bench(["--scenario", "lookups", "--client", "naive,workway"])

    const [naive, workway] = report.results
    expect(naive.client).toBe("naive")
    expect(naive.requests).toBe(report.params.lookups)
    expect(workway.client).toBe("workway")
    expect(workway.calls).toBe(report.params.unique)
    expect(workway.requests).toBe(workway.calls + workway.throttled)
    expect(workway.failed).toBe(0)
  })

  it("adds the reference rows of pagination and overhead beside the clients", async () => {
    const { report } = await bench([
      "--scenario",
      "pagination,overhead",
      "--client",
      "limit3,workway"
    ])
    const [pagination, overhead] = report

    const rowsOf = (scenario: { results: ReadonlyArray<{ client: string }> }) =>
      scenario.results.map((r) => r.client)
    expect(rowsOf(pagination)).toEqual(["limit3", "limit3-count", "workway", "workway-collect"])
    for (const result of pagination.results) {
      expect(result.records).toBe(pagination.params.records)
      expect(result.failed).toBe(0)
    }
    expect(rowsOf(overhead)).toEqual(["limit3", "effect-http", "workway"])
    for (const result of overhead.results) {
      expect(result.completed).toBe(overhead.params.calls)
      expect(result.cpuUsPerCall).toBeGreaterThan(0)
    }
  })
})
