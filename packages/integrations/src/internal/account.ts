import { Redacted } from "effect"

/**
 * A short label for a credential: eight hex digits of its 32-bit FNV-1a hash. It keys rate
 * limits and per-run caches so that two credentials never share a bucket, without revealing
 * the secret in keys, logs or reports.
 */
export const accountOf = (secret: Redacted.Redacted<string>): string => {
  let hash = 0x811c9dc5
  for (const char of Redacted.value(secret)) {
    hash ^= char.codePointAt(0) ?? 0
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0).toString(16).padStart(8, "0")
}
