import { createHash } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * The folder of vendor specs: `shared/specs` beside the repository's clone, as it is laid out
 * on every developer machine and in CI.
 */
export const specsDir = fileURLToPath(new URL("../../../../../shared/specs/", import.meta.url))

/** A JSON document, edited in place by an exception. */
// biome-ignore lint/suspicious/noExplicitAny: exceptions edit vendor documents by known paths; typing every vendor's spec would add nothing
export type Json = Record<string, any>

/**
 * A document without `description`s and vendor `x-` extensions: annotations that change no
 * schema, but that Prism takes long to digest (Stripe's spec loads in about 10 s instead of 30
 * without them, more on a busy machine).
 */
const withoutAnnotations = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutAnnotations)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      // A property named `description` holds a schema (an object), an annotation a string.
      .filter(
        ([key, item]) =>
          !(key === "description" && typeof item === "string") && !key.startsWith("x-")
      )
      .map(([key, item]) => [key, withoutAnnotations(item)])
  )
}

/** A known defect of a vendor spec, and the narrow edit that works around it. */
export interface Exception {
  /** What is wrong with the spec, and how the real API behaves instead. */
  readonly why: string
  readonly apply: (spec: Json) => void
}

/**
 * The path of a spec with its known exceptions applied: the file itself when there are none,
 * otherwise an edited copy in a temporary folder. Every exception must change the spec, so one
 * that the vendor fixed (or that no longer matches) fails loudly instead of hiding.
 */
export const specWith = (
  file: string,
  exceptions: ReadonlyArray<Exception> = [],
  options: { readonly lean?: boolean } = {}
): string => {
  const path = join(specsDir, file)
  if (exceptions.length === 0 && options.lean !== true) return path
  const read = JSON.parse(readFileSync(path, "utf8")) as Json
  const spec = options.lean === true ? (withoutAnnotations(read) as Json) : read
  for (const exception of exceptions) {
    const before = JSON.stringify(spec)
    exception.apply(spec)
    if (JSON.stringify(spec) === before) {
      throw new Error(`The exception "${exception.why}" no longer changes ${file}; remove it`)
    }
  }
  // Named by content, so runs share one copy per variant instead of leaving one each.
  const text = JSON.stringify(spec)
  const folder = join(tmpdir(), "workway-specs")
  mkdirSync(folder, { recursive: true })
  const copy = join(
    folder,
    `${createHash("sha256").update(text).digest("hex").slice(0, 16)}-${file}`
  )
  const partial = `${copy}.${process.pid}.${Math.random().toString(36).slice(2)}`
  writeFileSync(partial, text)
  renameSync(partial, copy)
  return copy
}
