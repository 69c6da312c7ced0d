import { env } from "cloudflare:test"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { type HammerOptions, type HammerResult, hammer } from "./fixtures/hammer"
import { busiestWindow, freshKey } from "./fixtures/windows"

const objectOf = (key: string) => key.split(":").slice(0, 2).join(":")

const fromPeer = async (peer: Fetcher, options: HammerOptions): Promise<HammerResult> => {
  const response = await peer.fetch("http://peer/", {
    method: "POST",
    body: JSON.stringify(options)
  })
  if (!response.ok) throw new Error(`peer answered ${response.status}: ${await response.text()}`)
  return response.json()
}

describe("a limit shared by Worker scripts in separate isolates", () => {
  it("is never exceeded in aggregate and is at least 90% used", async () => {
    const options: HammerOptions = {
      key: freshKey("shared"),
      rate: 20,
      burst: 5,
      callers: 6,
      millis: 3000,
      lease: true
    }
    const results = await Promise.all([
      Effect.runPromise(hammer(env.RECORDING_RATE_LIMITER, options)),
      fromPeer(env.PEER_A, options),
      fromPeer(env.PEER_B, options)
    ])
    const stub = env.RECORDING_RATE_LIMITER.get(
      env.RECORDING_RATE_LIMITER.idFromName(objectOf(options.key))
    )
    const granted = await stub.granted(options.key)
    const used = results.flatMap((result) => result.used)

    const ceiling = options.rate + options.burst
    expect(busiestWindow(granted, 1000)).toBeLessThanOrEqual(ceiling)
    expect(busiestWindow(used, 1000)).toBeLessThanOrEqual(ceiling)
    for (const result of results) expect(result.used.length).toBeGreaterThan(0)

    const first = Math.min(...granted)
    const seconds = options.millis / 1000
    const capacity = options.rate * seconds + options.burst
    const usedInRun = used.filter((at) => at < first + options.millis).length
    expect(usedInRun / capacity).toBeGreaterThanOrEqual(0.9)

    const roundTrips = results.reduce((sum, result) => sum + result.stats.roundTrips, 0)
    const reservations = results.reduce((sum, result) => sum + result.stats.reservations, 0)
    expect(roundTrips).toBeLessThan(reservations)
    console.log(
      `3 isolates at ${options.rate}/s burst ${options.burst} for ${seconds} s: ` +
        `${usedInRun} of ${capacity} units used (${((100 * usedInRun) / capacity).toFixed(1)}%), ` +
        `busiest second ${busiestWindow(granted, 1000)} granted / ${busiestWindow(used, 1000)} used, ` +
        `per isolate ${results.map((result) => result.used.length).join("/")}, ` +
        `${roundTrips} round trips for ${reservations} reservations ` +
        `(${(roundTrips / reservations).toFixed(2)} per unit), ` +
        `${results.reduce((sum, result) => sum + result.stats.unused, 0)} leased units unused`
    )
  })
})
