import * as HttpBody from "@effect/platform/HttpBody"
import { IntegrationError, Issues } from "@workway/core"
import type { Client, Limit } from "@workway/http"
import { Chunk, Effect, Either, Request, RequestResolver, Schema } from "effect"
import { classify } from "./classify"
import * as Multipart from "./multipart"
import type { GetMessage } from "./requests"
import { Message } from "./schemas"

const decodeMessage = Schema.decodeUnknownEither(Schema.parseJson(Message), {
  onExcessProperty: "ignore"
})

/** A query string of repeated keys (`labelIds`, `metadataHeaders`), which `Call.query` cannot hold. */
export const repeated = (name: string, values: ReadonlyArray<string> | undefined): string =>
  (values ?? []).map((value) => `${name}=${encodeURIComponent(value)}`).join("&")

/** A path with its query string, if any. */
export const withQuery = (path: string, query: string): string =>
  query === "" ? path : `${path}?${query}`

/** What the resolver of message gets needs from the client that owns it. */
export interface GetsOptions {
  readonly client: Client.ServiceClient
  /** `/users/<userId>`, under the base URL. */
  readonly user: string
  /** The path of the base URL (`/gmail/v1`), which a batch part's request line starts with. */
  readonly apiPath: string
  readonly batchUrl: string
  readonly batchSize: number
  /** Quota units of one get. */
  readonly units: number
  /** The per-user quota, charged the given units. */
  readonly quota: (units: number) => ReadonlyArray<Limit.LimitUse>
}

/**
 * The resolver of message gets: gets issued together go out as multipart batches of up to
 * `batchSize`, a lone get as a plain GET. A part answered with a throttle or a transient error
 * is fetched again on its own, with the pipeline's retries.
 */
export const resolver = (options: GetsOptions) => {
  const { client, user, apiPath, quota } = options

  const getPath = (request: GetMessage) =>
    withQuery(
      `${user}/messages/${encodeURIComponent(request.id)}`,
      [
        `format=${request.format}`,
        repeated(
          "metadataHeaders",
          request.metadataHeaders === "" ? [] : request.metadataHeaders.split(",")
        )
      ]
        .filter((part) => part !== "")
        .join("&")
    )

  const getOne = (request: GetMessage) =>
    client.json(
      {
        call: "messages.get",
        method: "GET",
        path: getPath(request),
        limits: quota(options.units)
      },
      Message
    )

  const failure = (reason: IntegrationError["reason"], code: string, detail: string) =>
    new IntegrationError({
      service: client.service,
      call: "messages.get",
      reason,
      attempts: 1,
      code,
      detail
    })

  /** What one part of a batch answer means for its get. */
  const settle = (
    request: GetMessage,
    answer: Multipart.PartAnswer | undefined
  ): Effect.Effect<Message, Client.CallError> => {
    if (answer === undefined) {
      return Effect.fail(
        failure("Decode", "batch_part_missing", `the batch answer had no part for ${request.id}`)
      )
    }
    const verdict = classify(answer)
    switch (verdict._tag) {
      case "Ok":
        return Either.match(decodeMessage(answer.body), {
          onLeft: (error) =>
            Effect.fail(
              failure(
                "Decode",
                "decode",
                `the response did not match the expected shape: ${Issues.fromParseError(error)
                  .slice(0, 3)
                  .map((issue) => `${issue.path}: ${issue.message}`)
                  .join("; ")}`
              )
            ),
          onRight: Effect.succeed
        })
      case "Throttled":
      case "Transient":
        return getOne(request)
      case "Failed":
        return Effect.fail(failure(verdict.reason, verdict.code, verdict.detail))
    }
  }

  const getBatch = (requests: ReadonlyArray<GetMessage>) =>
    Effect.gen(function* () {
      const boundary = `batch_${crypto.randomUUID().replace(/-/g, "")}`
      const parts = requests.map((request, index) => ({
        id: `item-${index}`,
        method: "GET" as const,
        target: `${apiPath}${getPath(request)}`
      }))
      const answer = yield* client.send({
        call: "messages.get.batch",
        method: "POST",
        path: options.batchUrl,
        body: HttpBody.text(
          Multipart.encode(parts, boundary),
          `multipart/mixed; boundary=${boundary}`
        ),
        idempotent: true,
        limits: quota(options.units * requests.length)
      })
      const answerBoundary = Multipart.boundaryOf(answer.headers["content-type"])
      const answers =
        answerBoundary === undefined
          ? new Map<string, Multipart.PartAnswer>()
          : Multipart.decode(answer.body, answerBoundary)
      return requests.map((request, index) => settle(request, answers.get(`item-${index}`)))
    })

  const complete = (chunk: ReadonlyArray<GetMessage>) => {
    const [single] = chunk
    if (chunk.length === 1 && single !== undefined) {
      return Request.completeEffect(single, getOne(single))
    }
    return getBatch(chunk).pipe(
      Effect.matchEffect({
        onFailure: (error) =>
          Effect.forEach(chunk, (request) => Request.completeEffect(request, Effect.fail(error)), {
            discard: true
          }),
        onSuccess: (outcomes) =>
          Effect.forEach(
            chunk,
            (request, index) =>
              Request.completeEffect(
                request,
                outcomes[index] ?? Effect.fail(failure("Decode", "batch", "no outcome"))
              ),
            { discard: true, concurrency: "unbounded" }
          )
      })
    )
  }

  return RequestResolver.makeBatched((requests: ReadonlyArray<GetMessage>) =>
    Effect.forEach(
      Chunk.chunksOf(Chunk.fromIterable(requests), options.batchSize),
      (chunk) => complete(Chunk.toReadonlyArray(chunk)),
      { discard: true, concurrency: "unbounded" }
    )
  )
}
