import { Data, Effect } from "effect"

/** The request body could not be accepted. */
export class BodyRejected extends Data.TaggedError("BodyRejected")<{
  readonly status: 400 | 413 | 415
  readonly type: "TooLarge" | "InvalidJson" | "UnsupportedEncoding"
  readonly message: string
}> {}

const tooLarge = (limit: number) =>
  new BodyRejected({
    status: 413,
    type: "TooLarge",
    message: `The request body is larger than the limit of ${limit} bytes`
  })

/**
 * Reads a request body as text, refusing it as soon as it exceeds `limit` bytes, whether the
 * client declared its length or streamed it.
 */
export const readText = (request: Request, limit: number): Effect.Effect<string, BodyRejected> =>
  Effect.gen(function* () {
    const declared = Number(request.headers.get("content-length") ?? "")
    if (Number.isFinite(declared) && declared > limit) return yield* tooLarge(limit)
    if (request.body === null) return ""
    const reader = request.body.getReader()
    const chunks: Array<Uint8Array> = []
    let size = 0
    while (true) {
      const { done, value } = yield* Effect.promise(() => reader.read())
      if (done) break
      size += value.byteLength
      if (size > limit) {
        yield* Effect.promise(() => reader.cancel())
        return yield* tooLarge(limit)
      }
      chunks.push(value)
    }
    const bytes = new Uint8Array(size)
    let offset = 0
    for (const chunk of chunks) {
      bytes.set(chunk, offset)
      offset += chunk.byteLength
    }
    return yield* Effect.try({
      try: () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
      catch: () =>
        new BodyRejected({
          status: 400,
          type: "InvalidJson",
          message: "The request body is not valid UTF-8"
        })
    })
  })

/** Reads and parses a JSON body within the size limit. */
export const readJson = (request: Request, limit: number): Effect.Effect<unknown, BodyRejected> =>
  Effect.flatMap(readText(request, limit), (text) =>
    Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (cause) =>
        new BodyRejected({
          status: 400,
          type: "InvalidJson",
          message: `The request body is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`
        })
    })
  )
