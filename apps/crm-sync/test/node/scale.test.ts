import { describe, expect, it } from "@effect/vitest"
import { Storage, Workflow } from "@workway/core"
import { Limit, RateLimiter } from "@workway/http"
import { Notion, Stripe } from "@workway/integrations"
import { FakeNotion, FakeServer, FakeStripe } from "@workway/testing"
import { Effect, Fiber, Layer, Redacted } from "effect"
import { crmSync } from "../../src/workflow"
import { customersDataSource, summaryOf } from "../harness/fakes"
import { testSetup } from "../harness/setup"

/** Stripe and Notion fakes in process, with the integrations pointed at them. */
const world = (customers: number) => {
  const stripe = FakeStripe.make({ customers: 0, payments: false, secretKey: testSetup.stripeKey })
  FakeStripe.seedCustomers(stripe.state, customers)
  const notion = FakeNotion.make({ databases: [customersDataSource], token: testSetup.notionToken })
  const settings = { limit: Limit.perSecond(20_000, 200) }
  const layer = Layer.mergeAll(
    Stripe.layer({ secretKey: Redacted.make(testSetup.stripeKey), settings }),
    Notion.layer({ token: Redacted.make(testSetup.notionToken), settings })
  ).pipe(
    Layer.provide(FakeServer.layer(FakeServer.routesOf(stripe, notion))),
    Layer.provide(RateLimiter.layerMemory)
  )
  return { stripe, notion, layer }
}

const inputs = { notionDataSourceId: testSetup.dataSourceId, concurrency: "8" }

describe("crm-sync at scale, in process", () => {
  it.live("upserts 10,000 customers, each exactly once", () => {
    const { stripe, notion, layer } = world(10_000)
    return Effect.gen(function* () {
      const execution = yield* Workflow.execute(crmSync, {
        trigger: { expectedCustomers: 10_000 },
        inputs
      })
      expect(execution.success).toBe(true)
      expect(summaryOf(stripe.state, notion.state)).toEqual({
        customers: 10_000,
        rows: 10_000,
        duplicates: 0,
        lost: 0
      })
    }).pipe(Effect.provide(Layer.merge(layer, Storage.layerMemory)))
  })

  it.live("resumes after being interrupted at random points, each customer exactly once", () => {
    const { stripe, notion, layer } = world(1_500)
    return Effect.gen(function* () {
      const run = Workflow.execute(crmSync, { trigger: {}, inputs, runId: "interrupted" })
      for (let stop = 0; stop < 4; stop++) {
        const fiber = yield* Effect.fork(run)
        yield* Effect.sleep(`${20 + Math.floor(Math.random() * 80)} millis`)
        yield* Fiber.interrupt(fiber)
      }
      const execution = yield* run
      expect(execution.success).toBe(true)
      expect(summaryOf(stripe.state, notion.state)).toEqual({
        customers: 1_500,
        rows: 1_500,
        duplicates: 0,
        lost: 0
      })
    }).pipe(Effect.provide(Layer.merge(layer, Storage.layerMemory)))
  })
})
