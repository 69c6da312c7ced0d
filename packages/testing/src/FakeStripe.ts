import * as FakeServer from "./FakeServer"
import * as Ids from "./internal/ids"
import { stripeError } from "./internal/stripeErrors"
import * as Form from "./internal/stripeForm"
import * as Idempotency from "./internal/stripeIdempotency"
import * as Lists from "./internal/stripeLists"
import * as Params from "./internal/stripeParams"
import * as Stripe from "./internal/stripeState"

export { stripeError } from "./internal/stripeErrors"
export type {
  StripeAddress,
  StripeCharge,
  StripeCustomer,
  StripePaymentIntent,
  StripeState
} from "./internal/stripeState"
export { countCustomers } from "./internal/stripeState"

/** The secret key the fake accepts by default: a test-mode key. */
export const credentials = { secretKey: "sk_test_fake51HkQ2eZvKYlo2C0aBcDeFgHi" } as const

/** Options of the fake Stripe: knobs, the secret key and the account's seed. */
export interface Options extends FakeServer.Knobs {
  readonly secretKey?: string | undefined
  /** Customers seeded (see `seedCustomers`); 25 by default. */
  readonly customers?: number | undefined
  /** Whether the first customers get sample charges and payment intents; yes by default. */
  readonly payments?: boolean | undefined
}

/** The origin of the Stripe API. */
export const origins: ReadonlyArray<string> = ["https://api.stripe.com"]

const apiVersion = "2025-10-15.clover"

const refused = (refusal: {
  readonly param: string
  readonly code: string
  readonly message: string
}) =>
  stripeError(400, {
    type: "invalid_request_error",
    param: refusal.param,
    code: refusal.code,
    message: refusal.message
  })

const vendor: FakeServer.Vendor = {
  notFound: (request) =>
    stripeError(404, {
      type: "invalid_request_error",
      message:
        `Unrecognized request URL (${request.method}: ${new URL(request.url).pathname}). ` +
        `Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`
    }),
  throttled: () =>
    stripeError(
      429,
      {
        type: "invalid_request_error",
        code: "rate_limit",
        message:
          "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits."
      },
      true
    ),
  unavailable: () =>
    stripeError(503, { type: "api_error", message: "Stripe is temporarily unavailable." }, true),
  internalError: (message) =>
    stripeError(500, { type: "api_error", message: `An unknown error occurred: ${message}` }, true)
}

/** A call after its key was checked and its parameters decoded. */
interface Call {
  readonly context: FakeServer.RouteContext
  readonly form: Form.FormObject
}

const stringParam = (form: Form.FormObject, key: string): string | undefined => {
  const value = form[key]
  return typeof value === "string" ? value : undefined
}

/** Makes a fake Stripe answering the real paths of `api.stripe.com`. */
export const make = (options: Options = {}): FakeServer.Fake<Stripe.StripeState> => {
  const now = options.now ?? Date.now
  const state: Stripe.StripeState = {
    secretKey: options.secretKey ?? credentials.secretKey,
    customers: new Map(),
    charges: [],
    paymentIntents: [],
    idempotency: new Map(),
    created: 0,
    replays: 0
  }
  Stripe.seedCustomers(state, options.customers ?? 25, now())
  if (options.payments ?? true) Stripe.seedPayments(state, now())
  let requests = 0

  const authorized = (request: Request): boolean => {
    const header = request.headers.get("authorization") ?? ""
    if (header.startsWith("Bearer ")) return header.slice("Bearer ".length) === state.secretKey
    if (header.startsWith("Basic ")) {
      try {
        return atob(header.slice("Basic ".length)).split(":")[0] === state.secretKey
      } catch {
        return false
      }
    }
    return false
  }

  const formOf = async (request: Request, url: URL) => {
    if (request.method === "GET") return Form.decode(url.searchParams)
    const type = request.headers.get("content-type") ?? ""
    const text = await request.text()
    if (text !== "" && !type.includes("application/x-www-form-urlencoded")) return undefined
    return Form.decode(new URLSearchParams(text))
  }

  const idempotent = Idempotency.make(state)

  const call =
    (handle: (call: Call) => Response): FakeServer.Route["handle"] =>
    async (context) => {
      const { request, url } = context
      if (!authorized(request)) {
        const given = (request.headers.get("authorization") ?? "").replace(/^(Bearer|Basic) /, "")
        return stripeError(401, {
          type: "invalid_request_error",
          message:
            given === ""
              ? "You did not provide an API key. You need to provide your API key in the " +
                "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer " +
                "YOUR_SECRET_KEY')."
              : `Invalid API Key provided: ${given.slice(0, 8)}********${given.slice(-4)}`
        })
      }
      const decoded = await formOf(request, url)
      if (decoded === undefined) {
        return stripeError(400, {
          type: "invalid_request_error",
          message:
            `Invalid request: unsupported Content-Type ` +
            `${request.headers.get("content-type")}. If error persists and you need assistance, ` +
            `please contact support@stripe.com.`
        })
      }
      if (decoded._tag === "Invalid") {
        return stripeError(400, {
          type: "invalid_request_error",
          param: decoded.key,
          message: `Invalid parameter: ${decoded.key}`
        })
      }
      requests++
      const requestId = `req_${Ids.opaque(`stripe:${requests}`).slice(0, 14)}`
      const run = () => {
        const response = handle({ context, form: decoded.form })
        response.headers.set("Request-Id", requestId)
        response.headers.set("Stripe-Version", request.headers.get("stripe-version") ?? apiVersion)
        return response
      }
      const key = request.headers.get("idempotency-key")
      if (request.method !== "POST" || key === null) return run()
      const fingerprint = `${request.method} ${url.pathname} ${Form.fingerprint(decoded.form)}`
      return idempotent(key, fingerprint, run)
    }

  const list = <A extends { readonly id: string }>(
    form: Form.FormObject,
    filters: ReadonlyArray<string>,
    items: ReadonlyArray<A>,
    noun: string,
    path: string,
    render: (item: A) => unknown
  ) => {
    const unknown = Params.unknownParam(form, [
      "limit",
      "starting_after",
      "ending_before",
      "expand",
      "created",
      ...filters
    ])
    if (unknown !== undefined) return refused(unknown)
    const paged = Lists.page(
      items,
      {
        limit: stringParam(form, "limit"),
        startingAfter: stringParam(form, "starting_after"),
        endingBefore: stringParam(form, "ending_before")
      },
      noun
    )
    if (paged._tag === "Invalid") return refused(paged)
    return FakeServer.json({
      object: "list",
      url: path,
      has_more: paged.hasMore,
      data: paged.data.map(render)
    })
  }

  const newestFirst = <A>(items: Iterable<A>): Array<A> => [...items].reverse()

  const listCustomers = call(({ form }) => {
    const email = stringParam(form, "email")
    const customers = newestFirst(state.customers.values()).filter(
      (customer) => email === undefined || customer.email === email
    )
    return list(form, ["email"], customers, "customer", "/v1/customers", Stripe.renderCustomer)
  })

  const createCustomer = call(({ form }) => {
    const changes = Params.customerChanges(form)
    if (changes._tag === "Refusal") return refused(changes)
    const customer = Stripe.newCustomer(state, Math.floor(now() / 1000))
    Params.applyChanges(customer, changes)
    return FakeServer.json(Stripe.renderCustomer(customer))
  })

  const missingCustomer = (id: string) =>
    stripeError(404, {
      type: "invalid_request_error",
      code: "resource_missing",
      param: "id",
      message: `No such customer: '${id}'`
    })

  const retrieveCustomer = call(({ context: { params } }) => {
    const customer = state.customers.get(params.id ?? "")
    return customer === undefined
      ? missingCustomer(params.id ?? "")
      : FakeServer.json(Stripe.renderCustomer(customer))
  })

  const updateCustomer = call(({ context: { params }, form }) => {
    const customer = state.customers.get(params.id ?? "")
    if (customer === undefined) return missingCustomer(params.id ?? "")
    const changes = Params.customerChanges(form)
    if (changes._tag === "Refusal") return refused(changes)
    Params.applyChanges(customer, changes)
    return FakeServer.json(Stripe.renderCustomer(customer))
  })

  const byCustomer = <A extends { readonly customer: string | null }>(
    form: Form.FormObject,
    items: ReadonlyArray<A>
  ) => {
    const customer = stringParam(form, "customer")
    return newestFirst(items).filter((item) => customer === undefined || item.customer === customer)
  }

  const listCharges = call(({ form }) =>
    list(
      form,
      ["customer"],
      byCustomer(form, state.charges),
      "charge",
      "/v1/charges",
      Stripe.renderCharge
    )
  )

  const listPaymentIntents = call(({ form }) =>
    list(
      form,
      ["customer"],
      byCustomer(form, state.paymentIntents),
      "payment_intent",
      "/v1/payment_intents",
      Stripe.renderPaymentIntent
    )
  )

  const routes = [
    FakeServer.route("GET", "/v1/customers", listCustomers),
    FakeServer.route("POST", "/v1/customers", createCustomer),
    FakeServer.route("GET", "/v1/customers/:id", retrieveCustomer),
    FakeServer.route("POST", "/v1/customers/:id", updateCustomer),
    FakeServer.route("GET", "/v1/charges", listCharges),
    FakeServer.route("GET", "/v1/payment_intents", listPaymentIntents)
  ]
  const { handler, stats } = FakeServer.make({ vendor, routes, knobs: options })
  return { handler, state, stats, origins }
}

/**
 * Adds `count` customers to a fake's account at once (10,000 take milliseconds), each with an
 * email `seed-<n>@example.com` and metadata `crm_id` = n unless the options say otherwise.
 */
export const seedCustomers = (
  state: Stripe.StripeState,
  count: number,
  options: {
    readonly now?: number | undefined
    readonly email?: ((index: number) => string | null) | undefined
    readonly metadata?: ((index: number) => Record<string, string>) | undefined
  } = {}
): ReadonlyArray<Stripe.StripeCustomer> =>
  Stripe.seedCustomers(state, count, options.now ?? Date.now(), options)
