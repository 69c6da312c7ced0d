import { Data, Effect } from "effect"
import { BodyRejected, readText } from "./Body"

/** Bounds on the shape of a JSON body, checked on its text before it is parsed. */
export interface JsonLimits {
  /** Deepest nesting of arrays and objects (default 64). */
  readonly maxDepth: number
  /** Most elements in one array (default 10,000). */
  readonly maxArrayLength: number
  /**
   * Longest string, key or value, in characters of the body's text (default 262,144). An escape
   * counts as the characters it is written with: `\u00e9` is six.
   */
  readonly maxStringLength: number
}

/** Bounds on a request body: its size in bytes and the shape of its JSON. */
export interface BodyLimits extends JsonLimits {
  /** Largest accepted body, in bytes (default 1 MiB). */
  readonly maxBodyBytes: number
}

/** The bounds used where none are given. */
export const defaults: BodyLimits = {
  maxBodyBytes: 1024 * 1024,
  maxDepth: 64,
  maxArrayLength: 10_000,
  maxStringLength: 256 * 1024
}

/** A JSON body is within the size limit but past one of its shape limits. */
export class LimitExceeded extends Data.TaggedError("LimitExceeded")<{
  readonly limit: "maxDepth" | "maxArrayLength" | "maxStringLength"
  readonly max: number
  readonly message: string
}> {}

const exceeded = (limit: LimitExceeded["limit"], max: number, what: string) =>
  new LimitExceeded({
    limit,
    max,
    message: `The JSON body ${what} (${limit} is ${max.toLocaleString("en-US")})`
  })

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d

/**
 * Checks the nesting depth, array lengths and string lengths of a JSON text in one pass, without
 * parsing it, so a hostile body costs linear time and no recursion. Text that is not JSON passes
 * or fails here by the same counts; parsing rejects it afterwards.
 */
export const check = (text: string, limits: JsonLimits = defaults): LimitExceeded | undefined => {
  // commas[d] counts the commas of the array open at depth d, or is -1 for an object.
  const commas: Array<number> = [-1]
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      const start = i
      for (i++; i < text.length; i++) {
        const inner = text.charCodeAt(i)
        if (inner === BACKSLASH) i++
        else if (inner === QUOTE) break
      }
      if (i - start - 1 > limits.maxStringLength) {
        return exceeded("maxStringLength", limits.maxStringLength, "has a string that is too long")
      }
    } else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
      depth++
      if (depth > limits.maxDepth) {
        return exceeded("maxDepth", limits.maxDepth, "nests arrays and objects too deep")
      }
      commas[depth] = code === OPEN_ARRAY ? 0 : -1
    } else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
      if (depth > 0) depth--
    } else if (code === COMMA) {
      const count = commas[depth] ?? -1
      if (count >= 0) {
        commas[depth] = count + 1
        if (count + 2 > limits.maxArrayLength) {
          return exceeded("maxArrayLength", limits.maxArrayLength, "has an array that is too long")
        }
      }
    }
  }
  return undefined
}

/**
 * What `JSON.parse` said, without the piece of input it quotes: an error message repeats nothing
 * a client sent.
 */
const parseProblem = (cause: unknown): string => {
  const message = cause instanceof Error ? cause.message : String(cause)
  return message.replace(/,\s*".*" is not valid JSON$/s, " is not valid JSON").slice(0, 200)
}

/** Parses a JSON text within the shape limits. */
export const parse = (
  text: string,
  limits: JsonLimits = defaults
): Effect.Effect<unknown, LimitExceeded | BodyRejected> =>
  Effect.suspend((): Effect.Effect<unknown, LimitExceeded | BodyRejected> => {
    const problem = check(text, limits)
    if (problem !== undefined) return Effect.fail(problem)
    return Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (cause) =>
        new BodyRejected({
          status: 400,
          type: "InvalidJson",
          message: `The request body is not valid JSON: ${parseProblem(cause)}`
        })
    })
  })

/** Reads and parses a JSON request body within the size and shape limits. */
export const readJson = (
  request: Request,
  limits: BodyLimits = defaults
): Effect.Effect<unknown, LimitExceeded | BodyRejected> =>
  Effect.flatMap(readText(request, limits.maxBodyBytes), (text) => parse(text, limits))

/**
 * Whether every percent-escape of a path decodes to UTF-8: a route that decodes a path segment
 * can then rely on `decodeURIComponent` not throwing.
 */
export const decodablePath = (pathname: string): boolean => {
  try {
    decodeURIComponent(pathname)
    return true
  } catch {
    return false
  }
}
