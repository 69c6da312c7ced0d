import { expect, layer } from "@effect/vitest"
import * as Stripe from "@workway/integrations/stripe/index"
import * as FakeStripe from "@workway/testing/FakeStripe"
import { Chunk, Context, Effect, Layer, Redacted, Stream } from "effect"
import { breaches, type Exchange, infrastructure, proxied } from "./support/contract"
import { specWith } from "./support/specs"

/*
 * `stripe.lists.openapi.json` is used without its descriptions and `x-` annotations, which
 * change no schema but triple Prism's start-up time; no schema is edited. It covers the lists and the creates; it has no
 * `/v1/customers/{id}`, so `customers.retrieve` and `customers.update` are checked against the
 * fake only (packages/integrations/test/stripe.test.ts). Its `limit` has no maximum: that
 * Stripe refuses 101 is the fake's behaviour, and its error envelope is checked here.
 */

class Contract extends Context.Tag("contracts/Stripe")<
  Contract,
  {
    readonly stripe: Stripe.StripeService
    readonly account: FakeStripe.StripeState
    readonly log: Array<Exchange>
  }
>() {}

const contract = Layer.scoped(
  Contract,
  Effect.gen(function* () {
    const fake = FakeStripe.make({ customers: 25 })
    const served = yield* proxied(
      fake.handler,
      specWith("stripe.lists.openapi.json", [], { lean: true })
    )
    const log: Array<Exchange> = []
    const stripe = yield* Effect.provide(
      Stripe.Stripe,
      Stripe.layer({
        secretKey: Redacted.make<string>(FakeStripe.credentials.secretKey),
        baseUrl: `${served.prism.url}/v1`
      }).pipe(Layer.provide(infrastructure(log)))
    )
    return { stripe, account: fake.state, log }
  })
)

/** Runs the calls, then checks that each went through Prism and none broke the spec. */
const conforms = <A, E>(calls: (stripe: Stripe.StripeService) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const { stripe, log } = yield* Contract
    const before = log.length
    const result = yield* calls(stripe)
    const exchanges = log.slice(before)
    expect(exchanges.length).toBeGreaterThan(0)
    expect(breaches(exchanges)).toEqual([])
    return result
  })

layer(contract, { excludeTestServices: true, timeout: "60 seconds" })(
  "Stripe integration and fake against stripe.lists.openapi.json",
  (it) => {
    it.effect("customers.list, across pages, by cursor and by email", () =>
      Effect.gen(function* () {
        const pages = yield* conforms((stripe) =>
          Stream.runCollect(stripe.customers.pages({ limit: 10 }))
        )
        const byEmail = yield* conforms((stripe) =>
          Stream.runCollect(stripe.customers.list({ email: "seed-3@example.com" }))
        )

        expect(Chunk.toReadonlyArray(pages).map((page) => page.data.length)).toEqual([10, 10, 5])
        expect(byEmail.length).toBe(1)
      })
    )

    it.effect("customers.create with a bracket-encoded form and an idempotency key", () =>
      Effect.gen(function* () {
        const { account } = yield* Contract

        const created = yield* conforms((stripe) =>
          stripe.customers.create(
            {
              email: "ada@example.com",
              name: "Ada Lovelace",
              phone: "+44 20 7946 0000",
              address: { line1: "12 St James's Square", city: "London", country: "GB" },
              metadata: { crm_id: "42", source: "crm-sync" },
              extra: { expand: ["tax"], preferred_locales: ["en-GB"] }
            },
            { idempotencyKey: "contract:customer:42" }
          )
        )

        expect(created.metadata).toEqual({ crm_id: "42", source: "crm-sync" })
        expect(FakeStripe.countCustomers(account, { email: "ada@example.com" })).toBe(1)
      })
    )

    it.effect("charges.list and paymentIntents.list, all and by customer", () =>
      Effect.gen(function* () {
        const { account } = yield* Contract
        const customer = [...account.customers.keys()][0]!

        const charges = yield* conforms((stripe) =>
          Stream.runCollect(stripe.charges.list({ customer, limit: 1 }))
        )
        const intents = yield* conforms((stripe) =>
          Stream.runCollect(stripe.paymentIntents.list({ limit: 100 }))
        )

        expect(charges.length).toBe(2)
        expect(intents.length).toBe(6)
      })
    )

    it.effect("the fake's error envelope matches the spec's error schema", () =>
      Effect.gen(function* () {
        const { stripe, log } = yield* Contract
        const before = log.length

        const error = yield* Effect.flip(Stream.runDrain(stripe.customers.list({ limit: 101 })))

        expect(error).toMatchObject({ reason: "Invalid", status: 400 })
        expect(log.slice(before).map((exchange) => exchange.status)).toEqual([400])
        expect(breaches(log.slice(before))).toEqual([])
      })
    )
  }
)
