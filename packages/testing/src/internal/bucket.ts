/** A real-time token bucket: `rate` tokens a second, at most `burst` stored, starting full. */
export interface Bucket {
  readonly rate: number
  readonly burst: number
  tokens: number
  updatedAt: number
}

/** The outcome of taking one token. */
export type Take =
  | { readonly _tag: "Taken"; readonly remaining: number; readonly resetMs: number }
  | { readonly _tag: "Empty"; readonly retryAfterMs: number }

/** A full bucket. */
export const make = (options: { readonly rate: number; readonly burst: number }, now: number) => {
  const burst = Math.max(1, options.burst)
  const bucket: Bucket = {
    rate: Math.max(options.rate, 1e-9),
    burst,
    tokens: burst,
    updatedAt: now
  }
  return bucket
}

const refill = (bucket: Bucket, now: number): void => {
  const elapsed = Math.max(0, now - bucket.updatedAt)
  bucket.tokens = Math.min(bucket.burst, bucket.tokens + (elapsed / 1000) * bucket.rate)
  bucket.updatedAt = Math.max(bucket.updatedAt, now)
}

/** Takes a token if one is there; otherwise says how long until one will be. */
export const take = (bucket: Bucket, now: number): Take => {
  refill(bucket, now)
  if (bucket.tokens < 1) {
    return { _tag: "Empty", retryAfterMs: Math.ceil(((1 - bucket.tokens) / bucket.rate) * 1000) }
  }
  bucket.tokens -= 1
  return {
    _tag: "Taken",
    remaining: Math.floor(bucket.tokens),
    resetMs: Math.ceil(((bucket.burst - bucket.tokens) / bucket.rate) * 1000)
  }
}
