import { describe, expect, it, layer } from "@effect/vitest"
import { IntegrationError } from "@workway/core"
import { FakeServer } from "@workway/testing"
import * as FakeStripe from "@workway/testing/FakeStripe"
import {
  Chunk,
  ConfigProvider,
  Context,
  Effect,
  Fiber,
  Layer,
  Option,
  Redacted,
  Stream,
  TestClock
} from "effect"
import { collectAtMost, TooManyItems } from "../src/internal/collect"
import * as Stripe from "../src/stripe"
import { infrastructure, recording, type Seen } from "./support/Fakes"

const secretKey = Redacted.make<string>(FakeStripe.credentials.secretKey)

const customersRoute = "GET /v1/customers"

/** Answers a request through `inner`, or replaces the answer with `replace`'s when it gives one. */
type Intercept = (
  request: Request,
  inner: FakeServer.Handler,
  attempt: number
) => Promise<Response | undefined>

/** A fake Stripe account and a client over it, in process, every request kept in `seen`. */
const start = (
  fakeOptions: FakeStripe.Options = {},
  options: Stripe.Options = {},
  intercept?: Intercept
) =>
  Effect.gen(function* () {
    const fake = FakeStripe.make(fakeOptions)
    const seen: Array<Seen> = []
    let attempt = 0
    const inner = recording(fake.handler, seen)
    const handler: FakeServer.Handler = async (request) => {
      attempt++
      const replaced =
        intercept === undefined ? undefined : await intercept(request, inner, attempt)
      return replaced ?? inner(request)
    }
    const stripe = yield* Effect.provide(
      Stripe.Stripe,
      Stripe.layer({ secretKey, ...options }).pipe(
        Layer.provide(infrastructure(FakeServer.routesOf({ handler, origins: fake.origins })))
      )
    )
    return { fake, stripe, seen }
  })

const manualClock = (start = Date.parse("2026-11-12T16:31:00Z")) => {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    }
  }
}

/**
 * Runs an effect whose waits are on the TestClock while the fake's rate limit refills on a clock
 * of its own: each time the effect sleeps, both clocks move to its earliest wake-up.
 */
const withClocks = <A, E>(
  effect: Effect.Effect<A, E>,
  fakeClock: { advance: (ms: number) => void }
) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    for (let turn = 0; turn < 10_000; turn++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 0)))
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      const now = yield* TestClock.currentTimeMillis
      const wakes = Chunk.toReadonlyArray(yield* TestClock.sleeps()).filter((at) => at > now)
      if (wakes.length === 0) continue
      // Whole milliseconds: jittered delays make times fractional.
      const step = Math.max(1, Math.ceil(Math.min(...wakes) - now))
      fakeClock.advance(step)
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

const failure = (error: unknown): IntegrationError => {
  expect(error).toBeInstanceOf(IntegrationError)
  return error as IntegrationError
}

const stripeAnswer = (
  status: number,
  error: Record<string, string>,
  headers: Record<string, string> = {}
) =>
  new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json", ...headers }
  })

describe("Stripe lists", () => {
  it.effect("pages through every customer, newest first, each page exposing its cursors", () =>
    Effect.gen(function* () {
      const { fake, stripe } = yield* start({ customers: 35 })

      const pages = Chunk.toReadonlyArray(
        yield* Stream.runCollect(stripe.customers.pages({ limit: 10 }))
      )

      expect(pages.map((page) => page.data.length)).toEqual([10, 10, 10, 5])
      expect(pages[0]?.startingAfter).toBeUndefined()
      for (let index = 1; index < pages.length; index++) {
        expect(pages[index]?.startingAfter).toBe(pages[index - 1]?.nextStartingAfter)
        expect(pages[index - 1]?.nextStartingAfter).toBe(pages[index - 1]?.data.at(-1)?.id)
      }
      expect(pages[3]).toMatchObject({ hasMore: false, nextStartingAfter: undefined })
      const created = pages.flatMap((page) => page.data.map((customer) => customer.created))
      expect(created).toEqual([...created].sort((a, b) => b - a))
      expect(fake.stats.byRoute[customersRoute]).toBe(4)
    })
  )

  it.effect("a Stream.take over 10,000 customers fetches only the pages it reads", () =>
    Effect.gen(function* () {
      const { fake, stripe } = yield* start({ customers: 10_000 })

      const taken = yield* stripe.customers
        .list({ limit: 10 })
        .pipe(Stream.take(25), Stream.runCollect)

      expect(taken.length).toBe(25)
      expect(fake.stats.byRoute[customersRoute]).toBe(3)
    })
  )

  it.effect("collecting more than a cap fails with TooManyItems", () =>
    Effect.gen(function* () {
      const { stripe } = yield* start({ customers: 250 })

      const error = yield* Effect.flip(
        collectAtMost(stripe.customers.list({ limit: 100 }), 150, "stripe customers")
      )

      expect(error).toBeInstanceOf(TooManyItems)
      expect(error).toMatchObject({ limit: 150, what: "stripe customers" })
    })
  )

  it.effect("a listing resumes after a saved cursor", () =>
    Effect.gen(function* () {
      const { stripe } = yield* start({ customers: 30 })
      const [first] = Chunk.toReadonlyArray(
        yield* stripe.customers.pages({ limit: 10 }).pipe(Stream.take(1), Stream.runCollect)
      )

      const rest = yield* Stream.runCollect(
        stripe.customers.list({ limit: 10, startingAfter: first!.nextStartingAfter! })
      )

      expect(rest.length).toBe(20)
      expect(Chunk.toReadonlyArray(rest).map((c) => c.id)).not.toContain(first!.data[0]!.id)
    })
  )

  it.effect("a limit above 100 is refused by Stripe as Invalid, naming the parameter", () =>
    Effect.gen(function* () {
      const { stripe } = yield* start()

      const error = failure(
        yield* Effect.flip(Stream.runDrain(stripe.customers.list({ limit: 101 })))
      )

      expect(error).toMatchObject({ reason: "Invalid", status: 400, attempts: 1 })
      expect(error.detail).toContain("limit")
    })
  )
})

/** A client over a shared account that the tests only read. */
class Account extends Context.Tag("test/Account")<
  Account,
  {
    readonly fake: FakeServer.Fake<FakeStripe.StripeState>
    readonly stripe: Stripe.StripeService
    readonly seen: Array<Seen>
  }
>() {}

layer(Layer.effect(Account, start({ customers: 40 })))("Stripe reads of one account", (it) => {
  it.effect("lists customers by exact email", () =>
    Effect.gen(function* () {
      const { stripe, seen } = yield* Account

      const found = yield* Stream.runCollect(stripe.customers.list({ email: "seed-7@example.com" }))

      expect(Chunk.toReadonlyArray(found).map((c) => c.email)).toEqual(["seed-7@example.com"])
      expect(new URL(seen.at(-1)!.url).search).toBe("?email=seed-7%40example.com")
    })
  )

  it.effect("retrieves a customer, and fails as NotFound for an unknown id", () =>
    Effect.gen(function* () {
      const { stripe, fake } = yield* Account
      const [id] = [...fake.state.customers.keys()]

      const customer = yield* stripe.customers.retrieve(id!)
      const error = failure(yield* Effect.flip(stripe.customers.retrieve("cus_missing")))

      expect(customer).toMatchObject({ id, object: "customer", metadata: { crm_id: "1" } })
      expect(error).toMatchObject({ reason: "NotFound", status: 404, code: "resource_missing" })
    })
  )

  it.effect("lists charges and payment intents of one customer, newest first", () =>
    Effect.gen(function* () {
      const { stripe, fake } = yield* Account
      const customer = [...fake.state.customers.keys()][0]!

      const charges = Chunk.toReadonlyArray(
        yield* Stream.runCollect(stripe.charges.list({ customer }))
      )
      const intents = Chunk.toReadonlyArray(
        yield* Stream.runCollect(stripe.paymentIntents.list({ customer, limit: 1 }))
      )

      expect(charges.map((charge) => charge.customer)).toEqual([customer, customer])
      expect(charges[0]!.created).toBeGreaterThan(charges[1]!.created)
      expect(intents).toHaveLength(2)
      expect(intents.every((intent) => intent.object === "payment_intent")).toBe(true)
    })
  )
})

describe("Stripe writes", () => {
  it.effect(
    "create sends a bracket-encoded form under a key derived from the caller's identity",
    () =>
      Effect.gen(function* () {
        const { fake, stripe, seen } = yield* start()

        const customer = yield* stripe.customers.create(
          {
            email: "ada@example.com",
            name: "Ada Lovelace",
            metadata: { crm_id: "42" },
            address: { line1: "12 St James's Square", city: "London" },
            extra: { expand: ["tax"] }
          },
          { idempotencyKey: "crm-sync:customer:42" }
        )

        expect(customer).toMatchObject({ email: "ada@example.com", metadata: { crm_id: "42" } })
        expect(customer.address).toMatchObject({ line1: "12 St James's Square", city: "London" })
        const request = seen.at(-1)!
        expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded")
        expect(request.headers["idempotency-key"]).toBe("customers.create:crm-sync:customer:42")
        expect(request.body).toContain("metadata[crm_id]=42")
        expect(request.body).toContain("address[line1]=12+St+James%27s+Square")
        expect(request.body).toContain("expand[]=tax")
        expect(FakeStripe.countCustomers(fake.state, { metadata: { crm_id: "42" } })).toBe(1)
      })
  )

  it.effect("a create whose answer is lost is retried under the same key and replayed", () =>
    Effect.gen(function* () {
      const { fake, stripe, seen } = yield* start({}, {}, async (request, inner, attempt) => {
        if (attempt !== 1) return undefined
        await inner(request)
        return stripeAnswer(503, { type: "api_error", message: "lost" })
      })

      const customer = yield* withClocks(
        stripe.customers.create({ email: "grace@example.com", metadata: { crm_id: "7" } }),
        manualClock()
      )

      expect(seen).toHaveLength(2)
      const [first, second] = seen.map((request) => request.headers["idempotency-key"])
      expect(first).toMatch(/^[0-9a-f-]{36}$/)
      expect(second).toBe(first)
      expect(fake.state.replays).toBe(1)
      expect(FakeStripe.countCustomers(fake.state, { email: "grace@example.com" })).toBe(1)
      expect(customer.metadata).toEqual({ crm_id: "7" })
    })
  )

  it.effect("two calls without a key get two keys: a logical call is not its retries", () =>
    Effect.gen(function* () {
      const { stripe, seen } = yield* start()

      yield* stripe.customers.create({ email: "a@example.com" })
      yield* stripe.customers.create({ email: "a@example.com" })

      const keys = seen.map((request) => request.headers["idempotency-key"])
      expect(new Set(keys).size).toBe(2)
    })
  )

  it.effect("the same key with other parameters fails with idempotency_error, not retried", () =>
    Effect.gen(function* () {
      const { fake, stripe } = yield* start()
      const identity = { idempotencyKey: "crm-sync:customer:9" }
      yield* stripe.customers.create({ email: "first@example.com" }, identity)

      const error = failure(
        yield* Effect.flip(stripe.customers.create({ email: "second@example.com" }, identity))
      )

      expect(error).toMatchObject({ reason: "Invalid", code: "idempotency_error", attempts: 1 })
      expect(FakeStripe.countCustomers(fake.state, { email: "second@example.com" })).toBe(0)
    })
  )

  it.effect("update merges metadata, removes keys set to null, and clears fields", () =>
    Effect.gen(function* () {
      const { stripe, seen } = yield* start()
      const created = yield* stripe.customers.create({
        email: "alan@example.com",
        phone: "+44 20 7946 0000",
        metadata: { crm_id: "3", tier: "gold" }
      })

      const updated = yield* stripe.customers.update(
        created.id,
        { name: "Alan Turing", phone: null, metadata: { tier: null, region: "eu" } },
        { idempotencyKey: "crm-sync:customer:3:v2" }
      )

      expect(updated).toMatchObject({
        name: "Alan Turing",
        phone: null,
        metadata: { crm_id: "3", region: "eu" }
      })
      expect(seen.at(-1)?.body).toContain("metadata[tier]=&")
      expect(seen.at(-1)?.headers["idempotency-key"]).toBe(
        `customers.update:${created.id}:crm-sync:customer:3:v2`
      )
    })
  )
})

describe("Stripe-Should-Retry", () => {
  it.effect("true retries an answer that would otherwise end the call", () =>
    Effect.gen(function* () {
      const { fake, stripe, seen } = yield* start({}, {}, async (_request, _inner, attempt) =>
        attempt === 1
          ? stripeAnswer(
              409,
              { type: "invalid_request_error", code: "lock_timeout", message: "locked" },
              { "Stripe-Should-Retry": "true" }
            )
          : undefined
      )

      yield* withClocks(stripe.customers.create({ email: "locked@example.com" }), manualClock())

      expect(seen).toHaveLength(1)
      expect(FakeStripe.countCustomers(fake.state, { email: "locked@example.com" })).toBe(1)
    })
  )

  it.effect("false ends the call at once, even a throttle or a server error", () =>
    Effect.gen(function* () {
      let calls = 0
      const { stripe } = yield* start({}, {}, async () => {
        calls++
        return calls === 1
          ? stripeAnswer(
              429,
              { type: "invalid_request_error", code: "rate_limit", message: "slow down" },
              { "Stripe-Should-Retry": "false" }
            )
          : stripeAnswer(
              503,
              { type: "api_error", message: "down" },
              { "Stripe-Should-Retry": "false" }
            )
      })

      const throttled = failure(yield* Effect.flip(stripe.customers.retrieve("cus_x")))
      const unavailable = failure(yield* Effect.flip(stripe.customers.retrieve("cus_x")))

      expect(throttled).toMatchObject({ reason: "RateLimited", code: "rate_limit", attempts: 1 })
      expect(unavailable).toMatchObject({ reason: "Transient", attempts: 1 })
      expect(calls).toBe(2)
    })
  )

  it.effect("the fake's 429s are throttles: the call waits and succeeds", () =>
    Effect.gen(function* () {
      const clock = manualClock()
      const { fake, stripe } = yield* start({ now: clock.now, rateLimit: { rate: 2, burst: 2 } })
      const ids = [...fake.state.customers.keys()].slice(0, 5)

      const customers = yield* withClocks(
        Effect.forEach(ids, (id) => stripe.customers.retrieve(id), { concurrency: 5 }),
        clock
      )

      expect(customers.map((customer) => customer.id)).toEqual(ids)
      expect(fake.stats.throttled).toBeGreaterThan(0)
    })
  )
})

describe("Stripe configuration and encoding", () => {
  const read = (env: Record<string, string>) =>
    Effect.withConfigProvider(Stripe.config(), ConfigProvider.fromMap(new Map(Object.entries(env))))

  it.effect("a test key is paced at 25/s, a live key at 100/s, configuration wins", () =>
    Effect.gen(function* () {
      const test = yield* read({ STRIPE_SECRET_KEY: "sk_test_abc" })
      const live = yield* read({ STRIPE_SECRET_KEY: "sk_live_abc" })
      const tuned = yield* read({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_RATE_LIMIT: "40" })

      expect(test).toMatchObject({ mode: "test", settings: { limit: { rate: 25 } } })
      expect(live).toMatchObject({ mode: "live", settings: { limit: { rate: 100 } } })
      expect(tuned.settings.limit.rate).toBe(40)
      expect(test.baseUrl).toBe("https://api.stripe.com/v1")
      expect(Redacted.value(test.secretKey)).toBe("sk_test_abc")
    })
  )

  it("encodes nested objects, lists and empty values in bracket notation", () => {
    const body = Stripe.Form.encode({
      email: "a@example.com",
      metadata: { crm_id: 42, gone: null },
      expand: ["data.customer", "data.invoice"],
      items: [{ price: "price_1", quantity: 2 }],
      skipped: undefined,
      flag: true
    })

    expect(decodeURIComponent(body).split("&")).toEqual([
      "email=a@example.com",
      "metadata[crm_id]=42",
      "metadata[gone]=",
      "expand[]=data.customer",
      "expand[]=data.invoice",
      "items[0][price]=price_1",
      "items[0][quantity]=2",
      "flag=true"
    ])
  })

  it("an identity too long for a key is hashed; without one each call gets a UUID", async () => {
    const long = await Effect.runPromise(Stripe.idempotencyKey("customers.create", "x".repeat(300)))
    const random = await Effect.runPromise(Stripe.idempotencyKey("customers.create", undefined))

    expect(long).toMatch(/^customers\.create:sha256:[0-9a-f]{64}$/)
    expect(random).toMatch(/^[0-9a-f-]{36}$/)
  })
})
