import { expect, layer } from "@effect/vitest"
import * as Slack from "@workway/integrations/slack/index"
import { FakeSlack, Samples } from "@workway/testing"
import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { breaches, type Exchange, infrastructure, proxied } from "./support/contract"
import { type Exception, type Json, specWith } from "./support/specs"

/**
 * Known defects of `slack.web.swagger.json` (Slack's own, from 2021), worked around in a copy:
 *
 * - Every method declares a required `token` parameter, in a header named `token` or in the
 *   query. Slack takes the token as `Authorization: Bearer`, which the spec's `slackAuth`
 *   scheme already stands for, and the client sends no `token` parameter, so each `token`
 *   parameter is removed.
 * - `chat.postMessage` lists JSON among the types it consumes, but Swagger 2 can describe its
 *   arguments only as form fields, so a JSON body is refused (415). Slack takes JSON there (with
 *   `blocks` as an array, not a string), and the client sends JSON: that one operation's form
 *   fields become a JSON body of the same names, `channel` still required.
 *
 * The spec is also loaded without descriptions and `x-` annotations (see `specWith`).
 */
const exceptions: ReadonlyArray<Exception> = [
  {
    why: "every method declares a required token header or query parameter",
    apply: (spec) => {
      for (const item of Object.values(spec.paths) as Array<
        Record<string, { parameters?: Array<{ name: string }> }>
      >) {
        for (const operation of Object.values(item)) {
          if (Array.isArray(operation.parameters)) {
            operation.parameters = operation.parameters.filter((p) => p.name !== "token")
          }
        }
      }
    }
  },
  {
    why: "chat.postMessage takes JSON, which Swagger 2 form fields cannot describe",
    apply: (spec) => {
      const operation = spec.paths["/chat.postMessage"].post
      const fields = (operation.parameters as Array<Json>).filter((p) => p.in === "formData")
      if (fields.length === 0) return
      const structured = new Set(["blocks", "attachments", "metadata"])
      operation.consumes = ["application/json"]
      operation.parameters = [
        ...(operation.parameters as Array<Json>).filter((p) => p.in !== "formData"),
        {
          in: "body",
          name: "body",
          required: true,
          schema: {
            type: "object",
            required: fields.filter((p) => p.required === true).map((p) => p.name),
            properties: Object.fromEntries(
              fields.map((p) => [p.name, structured.has(p.name) ? {} : { type: p.type }])
            )
          }
        }
      ]
    }
  },
  {
    why: "conversations.history forbids response_metadata, through which it pages",
    apply: (spec) => {
      const schema = spec.paths["/conversations.history"].get.responses["200"].schema
      schema.properties.response_metadata ??= {
        type: "object",
        properties: { next_cursor: { type: "string" } }
      }
    }
  },
  {
    why: "the fake's conversations.history lacks channel_actions_ts and channel_actions_count",
    apply: (spec) => {
      const schema = spec.paths["/conversations.history"].get.responses["200"].schema
      schema.required = (schema.required as Array<string>).filter(
        (name) => name !== "channel_actions_ts" && name !== "channel_actions_count"
      )
    }
  }
]

class Contract extends Context.Tag("contracts/Slack")<
  Contract,
  { readonly slack: Slack.SlackService; readonly log: Array<Exchange> }
>() {}

const contract = Layer.scoped(
  Contract,
  Effect.gen(function* () {
    const fake = FakeSlack.make()
    // Prism matches paths without the spec's `basePath` (`/api`), so it is the upstream's.
    const served = yield* proxied(
      fake.handler,
      specWith("slack.web.swagger.json", exceptions, { lean: true }),
      "/api"
    )
    const log: Array<Exchange> = []
    const slack = yield* Effect.provide(
      Slack.Slack,
      Slack.layer({
        token: Redacted.make<string>(Samples.credentials.slack.token),
        baseUrl: served.prism.url
      }).pipe(Layer.provide(infrastructure(log)))
    )
    return { slack, log }
  })
)

/** Runs the calls, then checks that each went through Prism and none broke the spec. */
const conforms = <A, E>(calls: (slack: Slack.SlackService) => Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const { slack, log } = yield* Contract
    const before = log.length
    const result = yield* calls(slack)
    const exchanges = log.slice(before)
    expect(exchanges.length).toBeGreaterThan(0)
    expect(breaches(exchanges)).toEqual([])
    return result
  })

layer(contract, { excludeTestServices: true, timeout: "60 seconds" })(
  "Slack integration and fake against slack.web.swagger.json",
  (it) => {
    it.effect("users.lookupByEmail and users.info", () =>
      Effect.gen(function* () {
        const [byEmail, byId] = yield* conforms((slack) =>
          Effect.all([
            slack.users.lookupByEmail(Samples.host.email),
            slack.users.info(Samples.host.slackUserId)
          ])
        )

        expect(byEmail.id).toBe(Samples.host.slackUserId)
        expect(byId.id).toBe(Samples.host.slackUserId)
      })
    )

    it.effect("chat.postMessage, then conversations.history of the channel", () =>
      Effect.gen(function* () {
        const posted = yield* conforms((slack) =>
          slack.chat.postMessage({ channel: "C0MEETNOTE", text: "Contract checked" })
        )
        const history = yield* conforms((slack) =>
          Stream.runCollect(slack.conversations.history("C0MEETNOTE"))
        )

        expect(posted.ts).toBeDefined()
        expect(history.length).toBeGreaterThan(0)
      })
    )

    it.effect("conversations.list, page by page", () =>
      Effect.gen(function* () {
        const channels = yield* conforms((slack) =>
          Stream.runCollect(slack.conversations.list({ pageSize: 2 }))
        )

        expect(channels.length).toBeGreaterThan(0)
      })
    )
  }
)
