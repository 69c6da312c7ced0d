import { Effect, Redacted } from "effect"

const encoder = new TextEncoder()

const importKey = (secret: Redacted.Redacted<string>) =>
  Effect.promise(() =>
    crypto.subtle.importKey(
      "raw",
      encoder.encode(Redacted.value(secret)),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"]
    )
  )

/** The bytes of `prefix` followed by `body`: the message a vendor signs. */
export const message = (prefix: string, body: Uint8Array): Uint8Array => {
  const head = encoder.encode(prefix)
  const bytes = new Uint8Array(head.byteLength + body.byteLength)
  bytes.set(head, 0)
  bytes.set(body, head.byteLength)
  return bytes
}

/** Lower-case hex of HMAC-SHA256(`secret`, `text`). */
export const signHex = (secret: Redacted.Redacted<string>, text: string): Effect.Effect<string> =>
  Effect.flatMap(importKey(secret), (key) =>
    Effect.promise(() => crypto.subtle.sign("HMAC", key, encoder.encode(text)))
  ).pipe(
    Effect.map((signature) =>
      Array.from(new Uint8Array(signature), (byte) => byte.toString(16).padStart(2, "0")).join("")
    )
  )

/** The 32 bytes a hex HMAC-SHA256 signature spells, or `undefined` when it spells none. */
export const fromHex = (hex: string): Uint8Array | undefined => {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return undefined
  const bytes = new Uint8Array(32)
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

/**
 * Whether any of `signatures` (hex) is HMAC-SHA256(`secret`, `data`). `crypto.subtle.verify`
 * compares in constant time, so a caller learns nothing from how long a wrong guess takes.
 */
export const verifyAny = (
  secret: Redacted.Redacted<string>,
  data: Uint8Array,
  signatures: ReadonlyArray<string>
): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    const candidates = signatures.flatMap((hex) => {
      const bytes = fromHex(hex)
      return bytes === undefined ? [] : [bytes]
    })
    if (candidates.length === 0) return false
    const key = yield* importKey(secret)
    let matched = false
    // Every candidate is checked, so the time taken does not say which one matched.
    for (const candidate of candidates) {
      const ok = yield* Effect.promise(() => crypto.subtle.verify("HMAC", key, candidate, data))
      matched = matched || ok
    }
    return matched
  })
