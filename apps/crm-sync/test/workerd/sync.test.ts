import { env, runDurableObjectAlarm, runInDurableObject, SELF } from "cloudflare:test"
import { describe, expect, it } from "vitest"

interface Summary {
  readonly customers: number
  readonly rows: number
  readonly duplicates: number
  readonly lost: number
}

interface Status {
  readonly status: string
  readonly segments: number
  readonly interrupted: number
  readonly result?: { readonly customers: number }
  readonly error?: unknown
  readonly progress: ReadonlyArray<{ readonly iteration: string; readonly done: number }>
}

const control = (path: string, init?: RequestInit) =>
  fetch(`${new URL(env.STRIPE_BASE_URL).origin}/__control/${path}`, init).then(
    (response) => response.json() as Promise<Summary>
  )
const reset = (customers: number) => control(`reset?customers=${customers}`, { method: "POST" })
const summary = () => control("summary")

const start = async (runId: string, expectedCustomers: number) => {
  const response = await SELF.fetch(`https://crm-sync.example/runs?runId=${runId}`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.WORKWAY_API_TOKEN}` },
    body: JSON.stringify({ expectedCustomers })
  })
  expect(response.status).toBe(202)
}

const status = (runId: string) =>
  SELF.fetch(`https://crm-sync.example/runs/${runId}`, {
    headers: { authorization: `Bearer ${env.WORKWAY_API_TOKEN}` }
  }).then((response) => response.json() as Promise<Status>)

const runObject = (runId: string) => env.CRM_SYNC_RUNS.get(env.CRM_SYNC_RUNS.idFromName(runId))

/** Polls the run until it stops running; its alarms fire on their own in workerd. */
const settle = async (runId: string, seconds = 100) => {
  const until = Date.now() + seconds * 1000
  while (Date.now() < until) {
    const current = await status(runId)
    if (current.status !== "running") return current
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return status(runId)
}

describe("crm-sync in workerd", () => {
  it("syncs under a 50-subrequest budget across invocations, each customer once", async () => {
    await reset(300)
    const runId = `budget-${crypto.randomUUID()}`
    await start(runId, 300)
    const final = await settle(runId)
    expect(final.status).toBe("succeeded")
    expect(final.result).toEqual({ customers: 300 })
    expect(final.segments).toBeGreaterThan(6)
    expect(await summary()).toEqual({ customers: 300, rows: 300, duplicates: 0, lost: 0 })
  })

  it("completes with every customer exactly once when killed at random points", async () => {
    await reset(400)
    const runId = `kills-${crypto.randomUUID()}`
    await start(runId, 400)
    let kills = 0
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, 40 + Math.floor(Math.random() * 160)))
      if ((await status(runId)).status !== "running") break
      await runInDurableObject(runObject(runId), (_instance, state) => state.abort("killed")).catch(
        () => undefined
      )
      kills += 1
      await runDurableObjectAlarm(runObject(runId)).catch(() => false)
    }
    const final = await settle(runId)
    expect(kills).toBeGreaterThan(0)
    expect(final.status).toBe("succeeded")
    expect(await summary()).toEqual({ customers: 400, rows: 400, duplicates: 0, lost: 0 })
  })

  it("updates the rows of a second sync instead of creating them again", async () => {
    await reset(120)
    const first = `first-${crypto.randomUUID()}`
    await start(first, 120)
    expect((await settle(first)).status).toBe("succeeded")
    const second = `second-${crypto.randomUUID()}`
    await start(second, 120)
    expect((await settle(second)).status).toBe("succeeded")
    expect(await summary()).toEqual({ customers: 120, rows: 120, duplicates: 0, lost: 0 })
  })
})
