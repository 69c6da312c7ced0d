import { FakeNotion, FakeServer, FakeStripe, Samples } from "@workway/testing"
import { type TestSetup, testSetup } from "./setup"

/** The Notion data source the sync writes to in tests. */
export const customersDataSource = {
  id: "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  dataSourceId: testSetup.dataSourceId,
  title: "Customers",
  parentPageId: Samples.notionParentPageId,
  properties: {
    Name: { id: "title", type: "title" },
    Email: { id: "mail", type: "rich_text" },
    "Stripe ID": { id: "strp", type: "rich_text" },
    "Customer since": { id: "since", type: "date" }
  }
} as const

/** What the fakes hold after a sync: rows per Stripe customer. */
export interface Summary {
  readonly customers: number
  readonly rows: number
  readonly duplicates: number
  readonly lost: number
}

const stripeIdOf = (properties: Record<string, unknown>): string | undefined => {
  const property = properties["Stripe ID"] as
    | { readonly rich_text?: ReadonlyArray<{ readonly plain_text?: string }> }
    | undefined
  return property?.rich_text?.map((part) => part.plain_text ?? "").join("")
}

/** Rows per Stripe customer, counted from the fakes' own state. */
export const summaryOf = (
  stripe: ReturnType<typeof FakeStripe.make>["state"],
  notion: ReturnType<typeof FakeNotion.make>["state"]
): Summary => {
  const perCustomer = new Map<string, number>()
  for (const page of notion.pages.values()) {
    if (page.inTrash) continue
    const id = stripeIdOf(page.properties)
    if (id !== undefined && id !== "") perCustomer.set(id, (perCustomer.get(id) ?? 0) + 1)
  }
  const ids = [...stripe.customers.keys()]
  return {
    customers: ids.length,
    rows: [...perCustomer.values()].reduce((sum, n) => sum + n, 0),
    duplicates: [...perCustomer.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    lost: ids.filter((id) => !perCustomer.has(id)).length
  }
}

/**
 * The Stripe and Notion fakes of the crm-sync tests, each on its own loopback port, with a
 * control route the tests in workerd call: `POST /__control/reset?customers=N` reseeds both,
 * `GET /__control/summary` counts rows per customer from the fakes' own state.
 */
export const start = async (setup: TestSetup) => {
  const knobs = { rateLimit: { rate: 2000, burst: 50 } }
  const makeStripe = () =>
    FakeStripe.make({ customers: 0, payments: false, secretKey: setup.stripeKey, ...knobs })
  const makeNotion = () =>
    FakeNotion.make({ databases: [customersDataSource], token: setup.notionToken, ...knobs })
  let stripe = makeStripe()
  let notion = makeNotion()

  const summary = () => summaryOf(stripe.state, notion.state)

  const control = async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url)
    if (url.pathname === "/__control/reset") {
      stripe = makeStripe()
      FakeStripe.seedCustomers(stripe.state, Number(url.searchParams.get("customers") ?? "0"))
      notion = makeNotion()
      return Response.json(summary())
    }
    if (url.pathname === "/__control/summary") return Response.json(summary())
    return undefined
  }

  const servers = await Promise.all([
    FakeServer.serve(async (request) => (await control(request)) ?? stripe.handler(request), {
      port: setup.stripePort
    }),
    FakeServer.serve(async (request) => (await control(request)) ?? notion.handler(request), {
      port: setup.notionPort
    })
  ])
  return { close: () => Promise.all(servers.map((server) => server.close())).then(() => undefined) }
}
