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
 * Reads a request body as bytes, exactly as sent (what a signature is computed over), refusing
 * it as soon as it exceeds `limit` bytes, whether the client declared its length or streamed it.
 */
export const readBytes = (
  request: Request,
  limit: number
): Effect.Effect<Uint8Array, BodyRejected> =>
  Effect.gen(function* () {
    const declared = Number(request.headers.get("content-length") ?? "")
    if (Number.isFinite(declared) && declared > limit) return yield* tooLarge(limit)
    if (request.body === null) return new Uint8Array(0)
    const reader = request.body.getReader()
    const chunks: Array<Uint8Array> = []
    let size = 0
    for (;;) {
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
    return bytes
  })

/** Decodes bytes as UTF-8, refusing malformed sequences rather than replacing them. */
export const utf8 = (bytes: Uint8Array): Effect.Effect<string, BodyRejected> =>
  Effect.try({
    try: () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
    catch: () =>
      new BodyRejected({
        status: 400,
        type: "InvalidJson",
        message: "The request body is not valid UTF-8"
      })
  })

/** Reads a request body as UTF-8 text within the size limit. */
export const readText = (request: Request, limit: number): Effect.Effect<string, BodyRejected> =>
  Effect.flatMap(readBytes(request, limit), utf8)
