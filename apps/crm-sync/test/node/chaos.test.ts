import { describe, expect, it } from "@effect/vitest"
import { Storage, Workflow } from "@workway/core"
import { Limit, RateLimiter } from "@workway/http"
import { Notion, Stripe } from "@workway/integrations"
import { FakeNotion, FakeServer, FakeStripe } from "@workway/testing"
import { Effect, Layer, Redacted } from "effect"
import { crmSync } from "../../src/workflow"
import { customersDataSource, summaryOf } from "../harness/fakes"
import { testSetup } from "../harness/setup"

/** Slow answers, some close to the per-attempt timeout of 300 ms. */
const latency = { minMs: 1, maxMs: 250 }

const faults = { throttle: 0.02, serverError: 0.05, reset: 0.02, hang: 0.01, malformed: 0.02 }

/** Stripe and Notion fakes that fail the way vendors do, with a deterministic random source. */
const world = (customers: number, seed: number) => {
  let state = seed
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648
    return state / 2_147_483_648
  }
  const stripe = FakeStripe.make({
    customers: 0,
    payments: false,
    secretKey: testSetup.stripeKey,
    faults,
    latency,
    random
  })
  FakeStripe.seedCustomers(stripe.state, customers)
  const notion = FakeNotion.make({
    databases: [customersDataSource],
    token: testSetup.notionToken,
    faults,
    latency,
    random
  })
  const settings = {
    limit: Limit.perSecond(20_000, 200),
    timeout: "300 millis" as const,
    retry: { baseDelay: "5 millis" as const, maxDelay: "20 millis" as const }
  }
  const layer = Layer.mergeAll(
    Stripe.layer({ secretKey: Redacted.make(testSetup.stripeKey), settings }),
    Notion.layer({ token: Redacted.make(testSetup.notionToken), settings })
  ).pipe(
    Layer.provide(FakeServer.layer(FakeServer.routesOf(stripe, notion))),
    Layer.provide(RateLimiter.layerMemory)
  )
  return { stripe, notion, layer }
}

describe("crm-sync under vendor faults", () => {
  it.live("ends with every customer exactly once, any failed run typed and resumed", () => {
    const { stripe, notion, layer } = world(250, 42)
    return Effect.gen(function* () {
      const failures: Array<string> = []
      let succeeded = false
      for (let attempt = 0; attempt < 40 && !succeeded; attempt++) {
        const execution = yield* Workflow.execute(crmSync, {
          trigger: {},
          inputs: { notionDataSourceId: testSetup.dataSourceId, concurrency: "6" },
          runId: "chaos"
        })
        if (execution.success) succeeded = true
        else failures.push((execution.error as { readonly _tag: string })._tag)
      }
      expect(succeeded).toBe(true)
      expect(failures.every((tag) => tag === "IntegrationError")).toBe(true)
      expect(notion.stats.faults).toBeGreaterThan(10)
      expect(stripe.stats.faults + notion.stats.throttled).toBeGreaterThan(0)
      expect(summaryOf(stripe.state, notion.state)).toEqual({
        customers: 250,
        rows: 250,
        duplicates: 0,
        lost: 0
      })
    }).pipe(Effect.provide(Layer.merge(layer, Storage.layerMemory)))
  })
})
