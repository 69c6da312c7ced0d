import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Client, type RateLimiter, ServiceConfig } from "@workway/http"
import {
  Chunk,
  type ConfigError,
  Context,
  Effect,
  Layer,
  Option,
  type Schema,
  Stream
} from "effect"
import { accountOf } from "../internal/account"
import { classify } from "./classify"
import { type Configuration, config, type Options } from "./config"
import * as Form from "./form"
import {
  Charge,
  Customer,
  type CustomerParams,
  type ListCustomers,
  ListOf,
  type ListPayments,
  type Page,
  PaymentIntent,
  type WriteOptions
} from "./schemas"

/** A list of one kind of object, page by page or item by item. */
export interface Listing<A, P> {
  /**
   * The pages of the list, newest first, fetched one at a time as the stream is read: a
   * `Stream.take` stops fetching. Each page exposes the `starting_after` cursor of the next.
   */
  readonly pages: (params?: P) => Stream.Stream<Page<A>, Client.CallError>
  /** The objects of the list, newest first, fetched page by page as they are read. */
  readonly list: (params?: P) => Stream.Stream<A, Client.CallError>
}

/** Stripe through a secret key. Every POST carries an `Idempotency-Key`, so every call retries. */
export interface StripeService {
  readonly customers: Listing<Customer, ListCustomers> & {
    readonly retrieve: (id: string) => Effect.Effect<Customer, Client.CallError>
    /** Creates a customer; retried safely under one idempotency key (see `WriteOptions`). */
    readonly create: (
      params: CustomerParams,
      options?: WriteOptions
    ) => Effect.Effect<Customer, Client.CallError>
    /** Updates a customer; retried safely under one idempotency key (see `WriteOptions`). */
    readonly update: (
      id: string,
      params: CustomerParams,
      options?: WriteOptions
    ) => Effect.Effect<Customer, Client.CallError>
  }
  readonly charges: Listing<Charge, ListPayments>
  readonly paymentIntents: Listing<PaymentIntent, ListPayments>
}

/** The Stripe integration. */
export class Stripe extends Context.Tag("@workway/integrations/Stripe")<Stripe, StripeService>() {}

const service = "stripe"

/** Stripe keeps idempotency keys of at most 255 characters. */
const maxKeyLength = 255

const sha256 = (text: string) =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))).pipe(
    Effect.map((digest) =>
      Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("")
    )
  )

/**
 * The `Idempotency-Key` of one write. With the caller's identity it is `<operation>:<identity>`
 * (hashed when longer than Stripe allows), the same on every attempt of every run; the operation
 * keeps a create and a later update of the same item from sharing a key. Without one, a random
 * UUID made once for the call, which its retries reuse.
 */
export const idempotencyKey = (
  operation: string,
  identity: string | undefined
): Effect.Effect<string> => {
  if (identity === undefined) return Effect.sync(() => crypto.randomUUID())
  const derived = `${operation}:${identity}`
  if (derived.length <= maxKeyLength) return Effect.succeed(derived)
  return Effect.map(sha256(identity), (hash) => `${operation}:sha256:${hash}`)
}

const customerForm = (params: CustomerParams): string =>
  Form.encode({
    email: params.email,
    name: params.name,
    description: params.description,
    phone: params.phone,
    address: params.address,
    metadata: params.metadata,
    ...params.extra
  })

/** Builds a Stripe client from resolved configuration. */
export const make = (configuration: Configuration) =>
  Effect.gen(function* () {
    const { settings } = configuration
    const key = `${service}:${accountOf(configuration.secretKey)}`
    const client = yield* Client.make({
      service,
      baseUrl: configuration.baseUrl,
      classify,
      ...ServiceConfig.clientOptions(settings),
      authorize: (request) => {
        const authorized = HttpClientRequest.bearerToken(request, configuration.secretKey)
        return Effect.succeed(
          configuration.apiVersion === undefined
            ? authorized
            : HttpClientRequest.setHeader(authorized, "Stripe-Version", configuration.apiVersion)
        )
      },
      limits: () => [{ key, limit: settings.limit }]
    })

    const listing = <A extends { readonly id: string }, I, P extends ListCustomers | ListPayments>(
      call: string,
      path: string,
      schema: Schema.Schema<A, I>,
      filters: (params: P) => Readonly<Record<string, string | undefined>>
    ): Listing<A, P> => {
      const page = ListOf(schema)
      const pages = (params: P = {} as P): Stream.Stream<Page<A>, Client.CallError> =>
        Stream.paginateChunkEffect(params.startingAfter, (startingAfter: string | undefined) =>
          client
            .json(
              {
                call,
                method: "GET",
                path,
                query: { limit: params.limit, starting_after: startingAfter, ...filters(params) }
              },
              page
            )
            .pipe(
              Effect.map((answer) => {
                const last = answer.data[answer.data.length - 1]?.id
                const next = answer.hasMore ? last : undefined
                const current: Page<A> = {
                  data: answer.data,
                  hasMore: answer.hasMore,
                  startingAfter,
                  nextStartingAfter: next
                }
                return [Chunk.of(current), Option.fromNullable(next)] as const
              })
            )
        )
      const list = (params?: P) => pages(params).pipe(Stream.mapConcat((page) => page.data))
      return { pages, list }
    }

    const write = (
      call: string,
      path: string,
      params: CustomerParams,
      operation: string,
      options: WriteOptions
    ) =>
      Effect.flatMap(idempotencyKey(operation, options.idempotencyKey), (idempotency) =>
        client.json(
          {
            call,
            method: "POST",
            path,
            body: HttpBody.text(customerForm(params), "application/x-www-form-urlencoded"),
            headers: { "Idempotency-Key": idempotency },
            idempotent: true
          },
          Customer
        )
      )

    const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}`

    const customers = {
      ...listing("customers.list", "/customers", Customer, (params: ListCustomers) => ({
        email: params.email
      })),
      retrieve: (id: string) =>
        client.json(
          { call: "customers.retrieve", method: "GET", path: customerPath(id) },
          Customer
        ),
      create: (params: CustomerParams, options: WriteOptions = {}) =>
        write("customers.create", "/customers", params, "customers.create", options),
      update: (id: string, params: CustomerParams, options: WriteOptions = {}) =>
        write("customers.update", customerPath(id), params, `customers.update:${id}`, options)
    }

    const byCustomer = (params: ListPayments) => ({ customer: params.customer })

    return Stripe.of({
      customers,
      charges: listing("charges.list", "/charges", Charge, byCustomer),
      paymentIntents: listing("payment_intents.list", "/payment_intents", PaymentIntent, byCustomer)
    })
  })

/** Stripe, configured from `STRIPE_*` configuration or from options given in code. */
export const layer = (
  options: Options = {}
): Layer.Layer<Stripe, ConfigError.ConfigError, HttpClient.HttpClient | RateLimiter.RateLimiter> =>
  Layer.effect(Stripe, Effect.flatMap(config(options), make))
