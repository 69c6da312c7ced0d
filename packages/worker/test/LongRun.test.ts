import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test"
import type { Runs } from "@workway/worker"
import { describe, expect, it } from "vitest"

const objectFor = (runId: string) => env.COUNTING_RUNS.get(env.COUNTING_RUNS.idFromName(runId))

/** The run's RPC surface; RPC's structural types cannot see through the `unknown` trigger. */
const stubFor = (runId: string) => objectFor(runId) as unknown as Runs.LongRunStub

/** Waits, polling, until the run stops running; its alarms fire on their own in workerd. */
const settle = async (runId: string, attempts = 250) => {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const status = await stubFor(runId).status()
    if (status.status !== "running") return status
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return stubFor(runId).status()
}

const handledCounts = (runId: string) =>
  runInDurableObject(objectFor(runId), async (_instance, state) => {
    const entries = await state.storage.list<{ value: string }>({ prefix: "handled:" })
    return [...entries.values()].map((entry) => Number(entry.value))
  })

describe("LongRun", () => {
  it("runs a workflow across segments when each segment's subrequest budget is spent", async () => {
    const runId = `budget-${crypto.randomUUID()}`
    const started = await stubFor(runId).start({ runId, trigger: { items: 25 } })
    expect(started.status).toBe("running")

    const status = await settle(runId)
    expect(status.status).toBe("succeeded")
    expect(status.result).toEqual({ done: 25 })
    expect(status.segments).toBe(3)
    expect(status.progress).toEqual([
      expect.objectContaining({ iteration: "items", done: 25, total: 25, finished: true })
    ])
    const counts = await handledCounts(runId)
    expect(counts).toHaveLength(25)
    expect(counts.every((count) => count === 1)).toBe(true)
  })

  it("starts a run once, however often it is started", async () => {
    const runId = `once-${crypto.randomUUID()}`
    await stubFor(runId).start({ runId, trigger: { items: 3 } })
    await settle(runId)
    const again = await stubFor(runId).start({ runId, trigger: { items: 99 } })
    expect(again.status).toBe("succeeded")
    expect(again.result).toEqual({ done: 3 })
  })

  it("resumes from the last checkpoint after the object is killed mid-segment", async () => {
    const runId = `crash-${crypto.randomUUID()}`
    await stubFor(runId).start({ runId, trigger: { items: 8, delayMs: 20 } })
    await new Promise((resolve) => setTimeout(resolve, 90))
    await runInDurableObject(objectFor(runId), (_instance, state) =>
      state.abort("killed by the test")
    ).catch(() => undefined)

    const afterKill = await stubFor(runId).status()
    expect(afterKill.status).toBe("running")
    expect(afterKill.inSegment).toBe(true)
    // The watchdog alarm would resume the run after the segment timeout; fire it now.
    await runDurableObjectAlarm(objectFor(runId))
    const status = await settle(runId)
    expect(status.status).toBe("succeeded")
    expect(status.interrupted).toBe(1)
    const counts = await handledCounts(runId)
    expect(counts).toHaveLength(8)
    expect(counts.every((count) => count >= 1)).toBe(true)
  })

  it("waits and resumes after a segment fails transiently at a vendor", async () => {
    const runId = `transient-${crypto.randomUUID()}`
    await stubFor(runId).start({ runId, trigger: { items: 4, failingRuns: 2 } })
    const status = await settle(runId, 400)
    expect(status.status).toBe("succeeded")
    expect(status.result).toEqual({ done: 4 })
    expect(status.segments).toBe(3)
  })

  it("fails the run with the workflow's error when the payload is invalid", async () => {
    const runId = `invalid-${crypto.randomUUID()}`
    await stubFor(runId).start({ runId, trigger: { items: "many" } })
    const status = await settle(runId)
    expect(status.status).toBe("failed")
    expect(status.error).toMatchObject({ type: "InvalidPayload" })
  })
})
