import { stripeError } from "./stripeErrors"
import type { StripeState } from "./stripeState"

/**
 * Stripe's idempotency keys over an account: the first answer to a key is saved and replayed
 * (`Idempotent-Replayed: true`); the key with other parameters is refused with
 * `idempotency_error`; a key whose first request is still running answers 409.
 */
export const make = (state: StripeState) => {
  /** Keys whose first request is still being answered. */
  const inFlight = new Set<string>()

  /** Replays or refuses by idempotency key, or runs the call and saves what it answered. */
  return async (
    key: string,
    fingerprint: string,
    run: () => Response | Promise<Response>
  ): Promise<Response> => {
    if (key.length > 255) {
      return stripeError(400, {
        type: "invalid_request_error",
        message: "Idempotency-Key must be at most 255 characters long."
      })
    }
    const saved = state.idempotency.get(key)
    if (saved !== undefined && saved.fingerprint !== fingerprint) {
      return stripeError(
        400,
        {
          type: "idempotency_error",
          message:
            `Keys for idempotent requests can only be used with the same parameters they ` +
            `were first used with. Try using a key other than '${key}' if you meant to execute ` +
            `a different request.`
        },
        false
      )
    }
    if (saved !== undefined) {
      state.replays++
      return new Response(saved.body, {
        status: saved.status,
        headers: {
          "content-type": "application/json",
          "Idempotent-Replayed": "true",
          "Original-Request": saved.requestId,
          "Idempotency-Key": key
        }
      })
    }
    if (inFlight.has(key)) {
      return stripeError(
        409,
        {
          type: "idempotency_error",
          code: "idempotency_key_in_use",
          message:
            `There is currently another in-progress request using this Stripe token ` +
            `(probably the same idempotency key: '${key}'). Please try again later.`
        },
        true
      )
    }
    inFlight.add(key)
    try {
      const response = await run()
      // Stripe saves an answer once the endpoint started executing: not a refused parameter.
      if (response.status < 400 || response.status >= 500) {
        state.idempotency.set(key, {
          fingerprint,
          status: response.status,
          body: await response.clone().text(),
          requestId: response.headers.get("Request-Id") ?? ""
        })
        response.headers.set("Idempotency-Key", key)
      }
      return response
    } finally {
      inFlight.delete(key)
    }
  }
}
