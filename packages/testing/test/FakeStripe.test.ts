import { afterEach, describe, expect, it } from "@effect/vitest"
import * as FakeStripe from "../src/FakeStripe"
import { type Client, manualClock, transports } from "./support"

const api = "https://api.stripe.com"
const auth = { authorization: `Bearer ${FakeStripe.credentials.secretKey}` }
const form = { ...auth, "content-type": "application/x-www-form-urlencoded" }

interface List {
  readonly object: string
  readonly url: string
  readonly has_more: boolean
  readonly data: Array<{ id: string; created: number; email?: string | null }>
}

describe("FakeStripe seeding", () => {
  it("seeds 10,000 customers quickly and counts them by email and metadata", () => {
    const fake = FakeStripe.make({ customers: 0 })
    const started = performance.now()

    FakeStripe.seedCustomers(fake.state, 10_000, {
      email: (index) => (index % 1000 === 0 ? "dup@example.com" : `c${index}@example.com`)
    })

    expect(performance.now() - started).toBeLessThan(1000)
    expect(fake.state.customers.size).toBe(10_000)
    expect(FakeStripe.countCustomers(fake.state, { email: "dup@example.com" })).toBe(10)
    expect(FakeStripe.countCustomers(fake.state, { metadata: { crm_id: "4242" } })).toBe(1)
  })
})

describe.each(transports)("FakeStripe over $name", ({ connect }) => {
  let client: Client
  afterEach(() => client.close())

  const start = async (options: FakeStripe.Options = {}) => {
    const fake = FakeStripe.make(options)
    client = await connect(fake)
    return fake
  }

  const get = (path: string, headers: Record<string, string> = auth) =>
    client.send("GET", client.url(api, path), { headers })

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    client.send("POST", client.url(api, path), { headers: { ...form, ...headers }, body })

  it("refuses a missing or wrong key with Stripe's 401 envelope", async () => {
    await start()

    const missing = await get("/v1/customers", {})
    const wrong = await get("/v1/customers", { authorization: "Bearer sk_test_wrong0000" })

    expect(missing.status).toBe(401)
    expect(missing.body).toMatchObject({ error: { type: "invalid_request_error" } })
    expect((wrong.body as { error: { message: string } }).error.message).toContain(
      "Invalid API Key"
    )
  })

  it("lists newest first, 10 by default, paging both ways by object id", async () => {
    await start({ customers: 25 })

    const first = (await get("/v1/customers")).body as List
    const second = (await get(`/v1/customers?starting_after=${first.data[9]!.id}`)).body as List
    const third = (await get(`/v1/customers?limit=10&starting_after=${second.data[9]!.id}`))
      .body as List
    const back = (await get(`/v1/customers?limit=3&ending_before=${second.data[0]!.id}`))
      .body as List

    expect(first).toMatchObject({ object: "list", url: "/v1/customers", has_more: true })
    expect(first.data).toHaveLength(10)
    expect(first.data[0]!.created).toBeGreaterThanOrEqual(first.data[9]!.created)
    expect(third.data).toHaveLength(5)
    expect(third.has_more).toBe(false)
    expect(back.data.map((c) => c.id)).toEqual(first.data.slice(7).map((c) => c.id))
    expect(back.has_more).toBe(true)
  })

  it("refuses a limit outside 1 to 100 and an unknown cursor", async () => {
    await start()

    const tooMany = await get("/v1/customers?limit=101")
    const unknown = await get("/v1/customers?starting_after=cus_nobody")

    expect(tooMany.status).toBe(400)
    expect(tooMany.body).toMatchObject({
      error: { type: "invalid_request_error", param: "limit" }
    })
    expect(unknown.body).toMatchObject({ error: { code: "resource_missing" } })
  })

  it("creates and updates customers from bracket-notation forms", async () => {
    const fake = await start({ customers: 0 })

    const created = await post(
      "/v1/customers",
      "email=ada%40example.com&metadata[crm_id]=42&metadata[tier]=gold&expand[]=tax&address[city]=London"
    )
    const id = (created.body as { id: string }).id
    const updated = await post(`/v1/customers/${id}`, "metadata[tier]=&name=Ada")
    const unknown = await post("/v1/customers", "colour=blue")

    expect(created.body).toMatchObject({
      object: "customer",
      email: "ada@example.com",
      metadata: { crm_id: "42", tier: "gold" },
      address: { city: "London", line1: null }
    })
    expect(updated.body).toMatchObject({ name: "Ada", metadata: { crm_id: "42" } })
    expect((updated.body as { metadata: object }).metadata).not.toHaveProperty("tier")
    expect(unknown.body).toMatchObject({
      error: { code: "parameter_unknown", param: "colour" }
    })
    expect(fake.state.customers.size).toBe(1)
  })

  it("replays the first answer to an idempotency key, and refuses the key with other parameters", async () => {
    const fake = await start({ customers: 0 })
    const key = { "Idempotency-Key": "crm-sync:customer:42" }

    const first = await post("/v1/customers", "email=a%40example.com&metadata[crm_id]=42", key)
    const again = await post("/v1/customers", "metadata[crm_id]=42&email=a%40example.com", key)
    const changed = await post("/v1/customers", "email=b%40example.com", key)

    expect(again.body).toEqual(first.body)
    expect(again.headers.get("idempotent-replayed")).toBe("true")
    expect(first.headers.get("idempotent-replayed")).toBeNull()
    expect(changed.status).toBe(400)
    expect(changed.body).toMatchObject({ error: { type: "idempotency_error" } })
    expect(changed.headers.get("stripe-should-retry")).toBe("false")
    expect(fake.state.customers.size).toBe(1)
    expect(fake.state.replays).toBe(1)
  })

  it("throttles with a 429 that carries Stripe-Should-Retry", async () => {
    const clock = manualClock()
    await start({ now: clock.now, rateLimit: { rate: 1, burst: 1 } })

    await get("/v1/customers")
    const throttled = await get("/v1/customers")

    expect(throttled.status).toBe(429)
    expect(throttled.headers.get("stripe-should-retry")).toBe("true")
    expect(throttled.body).toMatchObject({ error: { code: "rate_limit" } })
  })

  it("lists charges and payment intents, filtered by customer", async () => {
    const fake = await start()
    const customer = [...fake.state.customers.keys()][0]!

    const charges = (await get(`/v1/charges?customer=${customer}`)).body as List
    const intents = (await get("/v1/payment_intents?limit=2")).body as List

    expect(charges.url).toBe("/v1/charges")
    expect(charges.data).toHaveLength(2)
    expect(intents).toMatchObject({ object: "list", has_more: true })
    expect(intents.data).toHaveLength(2)
  })
})
