import { Checkpoint, RunReport, Storage, Trigger, Workflow } from "@workway/core"
import { Notion, Stripe } from "@workway/integrations"
import { Effect, Option, Schedule, Schema, Stream } from "effect"

const { step } = RunReport

/** Property names of the Notion data source the customers are written to. */
export const columns = {
  name: "Name",
  email: "Email",
  stripeId: "Stripe ID",
  created: "Customer since"
} as const

/** What starts a sync: optionally how many customers to expect, for the ETA. */
export const SyncRequest = Schema.Struct({
  expectedCustomers: Schema.optional(Schema.Int.pipe(Schema.positive()))
})

/** Where the customers go, configured per deployment. */
export const Inputs = Schema.Struct({
  notionDataSourceId: Schema.NonEmptyTrimmedString,
  /** Customers written to Notion at once; Notion's limit paces them anyway. */
  concurrency: Schema.optionalWith(Schema.NumberFromString.pipe(Schema.int(), Schema.positive()), {
    default: () => 4
  })
})

/** Failures after which a write may or may not have happened at the vendor. */
const ambiguous = new Set(["Transient", "Timeout", "Transport", "Decode"])

const PageId = Schema.String
const Flag = Schema.Literal(true)

const propertiesOf = (customer: Stripe.Customer) => ({
  [columns.name]: Notion.Properties.title(customer.name ?? customer.email ?? customer.id),
  [columns.email]: Notion.Properties.richText(customer.email ?? ""),
  [columns.stripeId]: Notion.Properties.richText(customer.id),
  [columns.created]: Notion.Properties.date(new Date(customer.created * 1000))
})

const stripeIdOf = (page: Notion.Page): string | undefined => {
  const property = page.properties?.[columns.stripeId] as
    | { readonly rich_text?: ReadonlyArray<{ readonly plain_text?: string }> }
    | undefined
  const text = property?.rich_text?.map((part) => part.plain_text ?? "").join("")
  return text === undefined || text === "" ? undefined : text
}

/**
 * Stripe customers -> rows of a Notion data source, upserted by Stripe customer id.
 *
 * Exactly once at the vendor, across crashes and invocations, at about one Notion request per
 * customer: the rows already in Notion are indexed once per run (a checkpointed iteration of
 * the data source), then the Stripe list is checkpointed page by page. Each customer is marked
 * `pending` in durable storage before its row is created and `done` after; a customer found
 * pending after a crash (its create may or may not have reached Notion) is looked up in Notion
 * before anything is written, so it is updated, never created twice. Storage is the run's own
 * Durable Object, so markers cost no subrequest.
 *
 * **Note**: Notion's query index can lag a write by a few seconds; a crash within that window
 * of a create can still leave a duplicate row in production. The fakes have no such lag.
 */
export const crmSync = Workflow.make({
  name: "crm-sync",
  version: "1.0.0",
  trigger: Trigger.manual({ payload: SyncRequest }),
  inputs: Inputs,
  run: ({ trigger, inputs }) =>
    Effect.gen(function* () {
      const stripe = yield* Stripe.Stripe
      const notion = yield* Notion.Notion
      const storage = yield* Storage.Storage
      const dataSource = inputs.notionDataSourceId
      const rowKey = (customerId: string) => `crm-sync:row:${customerId}`
      const runId = yield* Effect.serviceOption(RunReport.RunRecorder).pipe(
        Effect.map(
          Option.match({ onNone: () => "standalone", onSome: (recorder) => recorder.runId })
        )
      )

      yield* Checkpoint.forEachPage(
        "existing-rows",
        (cursor) =>
          notion.dataSources.queryPages(dataSource, {
            pageSize: 100,
            ...(cursor === null ? {} : { startCursor: cursor })
          }),
        (page) => {
          const stripeId = stripeIdOf(page)
          return stripeId === undefined
            ? Effect.void
            : storage.set(rowKey(stripeId), PageId, page.id)
        },
        { concurrency: 16 }
      ).pipe(step("index existing rows"))

      const lookup = (customerId: string) =>
        notion.dataSources
          .query(dataSource, {
            pageSize: 1,
            filter: { property: columns.stripeId, rich_text: { equals: customerId } }
          })
          .pipe(Stream.runHead, Effect.map(Option.map((page) => page.id)))

      const write = (customer: Stripe.Customer) =>
        Effect.gen(function* () {
          const done = `crm-sync:${runId}:done:${customer.id}`
          const pending = `crm-sync:${runId}:pending:${customer.id}`
          if (Option.isSome(yield* storage.get(done, Flag))) return
          const properties = propertiesOf(customer)
          const known = yield* storage.get(rowKey(customer.id), PageId)
          const row = Option.isSome(known)
            ? known
            : Option.isSome(yield* storage.get(pending, Flag))
              ? yield* lookup(customer.id)
              : Option.none()
          if (Option.isSome(row)) {
            yield* notion.pages.update(row.value, { properties })
          } else {
            yield* storage.set(pending, Flag, true, { ttl: "30 days" })
            const page = yield* notion.pages.create({
              parent: { data_source_id: dataSource },
              properties
            })
            yield* storage.set(rowKey(customer.id), PageId, page.id)
          }
          yield* storage.set(done, Flag, true, { ttl: "30 days" })
        })

      // A create whose answer was lost may or may not have reached Notion; trying again is
      // safe because the customer is pending by then, so the next try looks it up first.
      const upsert = (customer: Stripe.Customer) =>
        write(customer).pipe(
          Effect.retry({
            schedule: Schedule.exponential("200 millis"),
            times: 4,
            while: (error) => error._tag === "IntegrationError" && ambiguous.has(error.reason)
          })
        )

      const position = yield* Checkpoint.forEachPage(
        "customers",
        (cursor) =>
          stripe.customers
            .pages({ limit: 100, ...(cursor === null ? {} : { startingAfter: cursor }) })
            .pipe(Stream.map((page) => ({ items: page.data, nextCursor: page.nextStartingAfter }))),
        upsert,
        {
          concurrency: inputs.concurrency,
          ...(trigger.expectedCustomers === undefined ? {} : { total: trigger.expectedCustomers })
        }
      ).pipe(step("sync customers"))

      return { customers: position.done }
    })
})
