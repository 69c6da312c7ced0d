const fnv1a = (text: string, seed: number): number => {
  let hash = 0x811c9dc5 ^ seed
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, "0")

/** A deterministic opaque string of 32 letters and digits derived from `seed`. */
export const opaque = (seed: string): string => {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
  let out = ""
  for (let round = 0; out.length < 32; round++) {
    let word = fnv1a(seed, round)
    for (let digit = 0; digit < 5; digit++) {
      out += alphabet[word % alphabet.length]
      word = Math.floor(word / alphabet.length)
    }
  }
  return out.slice(0, 32)
}

/**
 * A deterministic, well-formed version-4 UUID: the last group holds the counter, so UUIDs of
 * one namespace never collide; the rest is a hash so they do not look sequential.
 */
export const uuid = (namespace: string, counter: number): string => {
  const a = fnv1a(`${namespace}:${counter}`, 1)
  const b = fnv1a(`${namespace}:${counter}`, 2)
  return [
    hex(a, 8),
    hex(b >>> 16, 4),
    `4${hex(b & 0xfff, 3)}`,
    `${"89ab"[a & 3]}${hex((a >>> 4) & 0xfff, 3)}`,
    hex(counter, 12)
  ].join("-")
}
