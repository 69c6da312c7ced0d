import { Schema } from "effect"
import type { FormValue } from "./form"

const Metadata = Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), {
  default: () => ({})
})

const NullableString = Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null })

/** A postal address. */
export const Address = Schema.Struct({
  city: NullableString,
  country: NullableString,
  line1: NullableString,
  line2: NullableString,
  postalCode: NullableString.pipe(Schema.fromKey("postal_code")),
  state: NullableString
})
export type Address = typeof Address.Type

/** A customer. */
export const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  /** Seconds since the epoch. */
  created: Schema.Number,
  email: NullableString,
  name: NullableString,
  description: NullableString,
  phone: NullableString,
  address: Schema.optionalWith(Schema.NullOr(Address), { default: () => null }),
  metadata: Metadata,
  livemode: Schema.Boolean
})
export type Customer = typeof Customer.Type

/** A charge. */
export const Charge = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("charge"),
  created: Schema.Number,
  /** In the currency's smallest unit. */
  amount: Schema.Number,
  currency: Schema.String,
  customer: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  description: NullableString,
  paid: Schema.Boolean,
  status: Schema.String,
  metadata: Metadata,
  livemode: Schema.Boolean
})
export type Charge = typeof Charge.Type

/** A payment intent. */
export const PaymentIntent = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("payment_intent"),
  created: Schema.Number,
  amount: Schema.Number,
  currency: Schema.String,
  customer: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
  description: NullableString,
  status: Schema.String,
  metadata: Metadata,
  livemode: Schema.Boolean
})
export type PaymentIntent = typeof PaymentIntent.Type

/** A page of a list, as Stripe answers it. */
export const ListOf = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    object: Schema.Literal("list"),
    url: Schema.String,
    hasMore: Schema.propertySignature(Schema.Boolean).pipe(Schema.fromKey("has_more")),
    data: Schema.Array(item)
  })

/** One page of a list, with the cursor that fetched it and the one that fetches the next. */
export interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly hasMore: boolean
  /** The `starting_after` this page was fetched with; absent for the first page. */
  readonly startingAfter: string | undefined
  /** The `starting_after` of the next page: the last id here, absent on the last page. */
  readonly nextStartingAfter: string | undefined
}

/** Paging of every list: page size (1 to 100, Stripe's default 10) and where to resume. */
export interface ListParams {
  readonly limit?: number
  /** Resumes after this object id, e.g. a `nextStartingAfter` saved in a checkpoint. */
  readonly startingAfter?: string
}

/** What to list of the customers: those with exactly this email, if given. */
export interface ListCustomers extends ListParams {
  readonly email?: string
}

/** What to list of charges or payment intents: those of one customer, if given. */
export interface ListPayments extends ListParams {
  readonly customer?: string
}

/** A postal address to set; `null` fields are cleared. */
export type AddressParams = {
  readonly city?: string | null
  readonly country?: string | null
  readonly line1?: string | null
  readonly line2?: string | null
  readonly postal_code?: string | null
  readonly state?: string | null
}

/**
 * Fields of a customer to create or update. `null` clears a field; a metadata value of `null`
 * removes that key. Other Stripe parameters can be passed through `extra`, bracket-encoded.
 */
export interface CustomerParams {
  readonly email?: string | null
  readonly name?: string | null
  readonly description?: string | null
  readonly phone?: string | null
  readonly address?: AddressParams | null
  readonly metadata?: Readonly<Record<string, string | null>>
  readonly extra?: { readonly [key: string]: FormValue }
}

/** How a write is made safe to retry. */
export interface WriteOptions {
  /**
   * The caller's identity for this write, e.g. `crm-sync:customer:42`: every attempt, in this
   * run or a later one, sends the same `Idempotency-Key`, so Stripe applies the write once.
   * Without it, a random key is made per call and reused only by that call's retries.
   */
  readonly idempotencyKey?: string
}
