import { expect, layer } from "@effect/vitest"
import * as Gmail from "@workway/integrations/gmail/index"
import * as FakeGmail from "@workway/testing/FakeGmail"
import { Chunk, Context, Effect, Layer, Redacted, Stream } from "effect"
import { breaches, type Exchange, infrastructure, proxied } from "./support/contract"
import { type Exception, specWith } from "./support/specs"

/**
 * Known defects of `gmail.openapi.json`, worked around in a copy of it:
 *
 * - The spec was converted from Google's discovery document, which describes `messages.send`
 *   only as a media upload: its request body lists `message/*` types and no
 *   `application/json`. The API takes `{"raw": ...}` as JSON at this path (media goes to
 *   `/upload/...`), so JSON is added, with the spec's own `Message` schema.
 * - `Message.raw` and `MessagePartBody.data` carry `format: byte` (standard base64), while their
 *   own descriptions, and the API, say base64url (`-` and `_`, no padding). The format is
 *   dropped from those two fields only.
 *
 * Not covered by the spec: the batch endpoint (`/batch/gmail/v1`), whose envelope is
 * multipart. The client sends batches straight to the fake; each part holds the same request
 * as a lone `messages.get`, which goes through Prism below.
 */
const exceptions: ReadonlyArray<Exception> = [
  {
    why: "messages.send lists only message/* media types, not the JSON body the API takes",
    apply: (spec) => {
      const body = spec.paths["/gmail/v1/users/{userId}/messages/send"].post.requestBody
      if (body.content["application/json"] !== undefined) return
      body.content["application/json"] = { schema: { $ref: "#/components/schemas/Message" } }
    }
  },
  {
    why: "raw and body data are declared standard base64 (format byte) but are base64url",
    apply: (spec) => {
      const schemas = spec.components.schemas
      delete schemas.Message.properties.raw.format
      delete schemas.MessagePartBody.properties.data.format
    }
  }
]

class Contract extends Context.Tag("contracts/Gmail")<
  Contract,
  {
    readonly gmail: Gmail.GmailService
    readonly mailbox: FakeGmail.GmailState
    readonly log: Array<Exchange>
  }
>() {}

const contract = Layer.scoped(
  Contract,
  Effect.gen(function* () {
    const fake = FakeGmail.make({ messages: FakeGmail.sampleMessages(120) })
    const served = yield* proxied(fake.handler, specWith("gmail.openapi.json", exceptions))
    const log: Array<Exchange> = []
    const gmail = yield* Effect.provide(
      Gmail.Gmail,
      Gmail.layer({
        accessToken: Redacted.make<string>(FakeGmail.credentials.accessToken),
        baseUrl: `${served.prism.url}/gmail/v1`,
        batchUrl: `${served.fake.url}/batch/gmail/v1`
      }).pipe(Layer.provide(infrastructure(log)))
    )
    return { gmail, mailbox: fake.state, log }
  })
)

/** Runs the calls, then checks that each went through Prism and none broke the spec. */
const conforms = <A, E>(calls: (gmail: Gmail.GmailService) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const { gmail, log } = yield* Contract
    const before = log.length
    const result = yield* calls(gmail)
    const exchanges = log.slice(before)
    expect(exchanges.length).toBeGreaterThan(0)
    expect(breaches(exchanges)).toEqual([])
    return result
  })

layer(contract, { excludeTestServices: true, timeout: "60 seconds" })(
  "Gmail integration and fake against gmail.openapi.json",
  (it) => {
    it.effect("messages.list, across pages and with filters", () =>
      Effect.gen(function* () {
        const pages = yield* conforms((gmail) =>
          Stream.runCollect(gmail.messages.pages({ maxResults: 50, q: "from:ada" }))
        )
        yield* conforms((gmail) =>
          Stream.runCollect(gmail.messages.list({ labelIds: ["INBOX", "UNREAD"] }))
        )

        expect(Chunk.toReadonlyArray(pages).at(-1)?.nextPageToken).toBeUndefined()
      })
    )

    it.effect("messages.get in every format", () =>
      Effect.gen(function* () {
        const { mailbox } = yield* Contract
        const id = [...mailbox.messages.keys()][0]!

        const formats = yield* conforms((gmail) =>
          Effect.all([
            gmail.messages.get(id),
            gmail.messages.get(id, { format: "minimal" }),
            gmail.messages.get(id, { format: "metadata", metadataHeaders: ["From", "Subject"] }),
            gmail.messages.get(id, { format: "raw" })
          ])
        )

        expect(formats.map((message) => message.id)).toEqual([id, id, id, id])
      })
    )

    it.effect("messages.send, then history.list from before it", () =>
      Effect.gen(function* () {
        const { mailbox } = yield* Contract
        const startHistoryId = String(mailbox.historyId)

        const sent = yield* conforms((gmail) =>
          gmail.messages.send({ to: "grace@example.com", subject: "Contract", text: "Checked." })
        )
        const history = yield* conforms((gmail) =>
          Stream.runCollect(gmail.history.pages({ startHistoryId }))
        )

        expect(
          Chunk.toReadonlyArray(history).flatMap((page) =>
            page.history.map((h) => h.messages[0]?.id)
          )
        ).toEqual([sent.id])
      })
    )

    it.effect("labels.list", () =>
      Effect.gen(function* () {
        const labels = yield* conforms((gmail) => gmail.labels.list())

        expect(labels.length).toBeGreaterThan(0)
      })
    )
  }
)
