import * as Ids from "./ids"

/** A postal address, as Stripe stores it. */
export interface StripeAddress {
  readonly city: string | null
  readonly country: string | null
  readonly line1: string | null
  readonly line2: string | null
  readonly postal_code: string | null
  readonly state: string | null
}

/** A customer of the fake account. */
export interface StripeCustomer {
  readonly id: string
  /** Seconds since the epoch. */
  readonly created: number
  email: string | null
  name: string | null
  description: string | null
  phone: string | null
  address: StripeAddress | null
  preferred_locales: ReadonlyArray<string>
  metadata: Record<string, string>
}

/** A charge of the fake account. */
export interface StripeCharge {
  readonly id: string
  readonly created: number
  readonly amount: number
  readonly currency: string
  readonly customer: string | null
  readonly description: string | null
  readonly status: "succeeded" | "pending" | "failed"
  readonly metadata: Readonly<Record<string, string>>
}

/** A payment intent of the fake account. */
export interface StripePaymentIntent {
  readonly id: string
  readonly created: number
  readonly amount: number
  readonly currency: string
  readonly customer: string | null
  readonly description: string | null
  readonly status: "requires_payment_method" | "processing" | "succeeded" | "canceled"
  readonly metadata: Readonly<Record<string, string>>
}

/** The first answer to an idempotency key, replayed for every later request with the key. */
export interface SavedResponse {
  /** Method, path and parameters of the first request. */
  readonly fingerprint: string
  readonly status: number
  readonly body: string
  readonly requestId: string
}

/** The fake Stripe account. Lists are kept in creation order; Stripe answers newest first. */
export interface StripeState {
  readonly secretKey: string
  readonly customers: Map<string, StripeCustomer>
  readonly charges: Array<StripeCharge>
  readonly paymentIntents: Array<StripePaymentIntent>
  /** Saved answers by idempotency key. */
  readonly idempotency: Map<string, SavedResponse>
  /** Objects created so far, which makes each id unique. */
  created: number
  /** Requests answered from a saved idempotent response. */
  replays: number
}

/** A Stripe-looking id: the prefix, then 14 letters and digits unique per counter. */
export const objectId = (prefix: string, counter: number): string =>
  `${prefix}_${Ids.opaque(`${prefix}:${counter}`).slice(0, 8)}${counter.toString(36).padStart(6, "0")}`

/** A fresh customer with the given fields. */
export const newCustomer = (
  state: StripeState,
  created: number,
  fields: Partial<Omit<StripeCustomer, "id" | "created">> = {}
): StripeCustomer => {
  state.created += 1
  const customer: StripeCustomer = {
    id: objectId("cus", state.created),
    created,
    email: fields.email ?? null,
    name: fields.name ?? null,
    description: fields.description ?? null,
    phone: fields.phone ?? null,
    address: fields.address ?? null,
    preferred_locales: fields.preferred_locales ?? [],
    metadata: { ...fields.metadata }
  }
  state.customers.set(customer.id, customer)
  return customer
}

/**
 * Adds `count` customers quickly (10,000 take milliseconds): `seed-<n>@example.com`, named
 * `Customer <n>`, metadata `crm_id` = n unless `metadata` says otherwise, created a second apart
 * and ending at `now`.
 */
export const seedCustomers = (
  state: StripeState,
  count: number,
  now: number,
  options: {
    readonly email?: ((index: number) => string | null) | undefined
    readonly metadata?: ((index: number) => Record<string, string>) | undefined
  } = {}
): ReadonlyArray<StripeCustomer> => {
  const start = Math.floor(now / 1000) - count
  const first = state.customers.size + 1
  return Array.from({ length: count }, (_, offset) => {
    const index = first + offset
    return newCustomer(state, start + offset, {
      email: options.email === undefined ? `seed-${index}@example.com` : options.email(index),
      name: `Customer ${index}`,
      metadata: options.metadata === undefined ? { crm_id: String(index) } : options.metadata(index)
    })
  })
}

/** Customers with this email (exact, as Stripe's list filter compares it) and metadata. */
export const countCustomers = (
  state: StripeState,
  where: { readonly email?: string; readonly metadata?: Readonly<Record<string, string>> }
): number => {
  let count = 0
  for (const customer of state.customers.values()) {
    if (where.email !== undefined && customer.email !== where.email) continue
    const metadata = Object.entries(where.metadata ?? {})
    if (metadata.some(([key, value]) => customer.metadata[key] !== value)) continue
    count++
  }
  return count
}

/** A customer as the API answers it. */
export const renderCustomer = (customer: StripeCustomer) => ({
  id: customer.id,
  object: "customer",
  address: customer.address,
  balance: 0,
  created: customer.created,
  currency: null,
  default_source: null,
  delinquent: false,
  description: customer.description,
  discount: null,
  email: customer.email,
  invoice_prefix: customer.id.slice(4, 12).toUpperCase(),
  invoice_settings: {
    custom_fields: null,
    default_payment_method: null,
    footer: null,
    rendering_options: null
  },
  livemode: false,
  metadata: customer.metadata,
  name: customer.name,
  next_invoice_sequence: 1,
  phone: customer.phone,
  preferred_locales: customer.preferred_locales,
  shipping: null,
  tax_exempt: "none",
  test_clock: null
})

/** A charge as the API answers it. */
export const renderCharge = (charge: StripeCharge) => ({
  id: charge.id,
  object: "charge",
  amount: charge.amount,
  amount_captured: charge.status === "succeeded" ? charge.amount : 0,
  amount_refunded: 0,
  application: null,
  application_fee: null,
  application_fee_amount: null,
  balance_transaction: null,
  billing_details: { address: null, email: null, name: null, phone: null },
  calculated_statement_descriptor: "WORKWAY",
  captured: charge.status === "succeeded",
  created: charge.created,
  currency: charge.currency,
  customer: charge.customer,
  description: charge.description,
  disputed: false,
  failure_balance_transaction: null,
  failure_code: charge.status === "failed" ? "card_declined" : null,
  failure_message: charge.status === "failed" ? "Your card was declined." : null,
  fraud_details: {},
  invoice: null,
  livemode: false,
  metadata: charge.metadata,
  on_behalf_of: null,
  outcome: null,
  paid: charge.status === "succeeded",
  payment_intent: null,
  payment_method: null,
  payment_method_details: null,
  receipt_email: null,
  receipt_number: null,
  receipt_url: null,
  refunded: false,
  review: null,
  shipping: null,
  source_transfer: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  status: charge.status,
  transfer_data: null,
  transfer_group: null
})

/** A payment intent as the API answers it. */
export const renderPaymentIntent = (intent: StripePaymentIntent) => ({
  id: intent.id,
  object: "payment_intent",
  amount: intent.amount,
  amount_capturable: 0,
  amount_received: intent.status === "succeeded" ? intent.amount : 0,
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: null,
  canceled_at: null,
  cancellation_reason: null,
  capture_method: "automatic",
  client_secret: `${intent.id}_secret_${Ids.opaque(intent.id).slice(0, 12)}`,
  confirmation_method: "automatic",
  created: intent.created,
  currency: intent.currency,
  customer: intent.customer,
  description: intent.description,
  last_payment_error: null,
  latest_charge: null,
  livemode: false,
  metadata: intent.metadata,
  next_action: null,
  on_behalf_of: null,
  payment_method: null,
  payment_method_options: null,
  payment_method_types: ["card"],
  processing: null,
  receipt_email: null,
  review: null,
  setup_future_usage: null,
  shipping: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  status: intent.status,
  transfer_data: null,
  transfer_group: null
})

/** Sample charges and payment intents of the first customers, two each, newest last. */
export const seedPayments = (state: StripeState, now: number): void => {
  const customers = [...state.customers.values()].slice(0, 3)
  customers.forEach((customer, index) => {
    for (const round of [0, 1]) {
      state.created += 1
      const created = Math.floor(now / 1000) - 3600 * (6 - index * 2 - round)
      const amount = 1000 * (index + 1) + round * 250
      state.paymentIntents.push({
        id: objectId("pi", state.created),
        created,
        amount,
        currency: "usd",
        customer: customer.id,
        description: `Subscription ${index + 1}`,
        status: "succeeded",
        metadata: {}
      })
      state.charges.push({
        id: objectId("ch", state.created),
        created,
        amount,
        currency: "usd",
        customer: customer.id,
        description: `Subscription ${index + 1}`,
        status: round === 0 ? "succeeded" : "failed",
        metadata: {}
      })
    }
  })
}
