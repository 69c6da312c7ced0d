import * as FakeServer from "../FakeServer"

/** Stripe's error envelope; `Stripe-Should-Retry` is set when given. */
export const stripeError = (
  status: number,
  error: {
    readonly type: string
    readonly message: string
    readonly code?: string | undefined
    readonly param?: string | undefined
  },
  shouldRetry?: boolean
): Response =>
  FakeServer.json(
    {
      error: {
        type: error.type,
        message: error.message,
        ...(error.code === undefined
          ? {}
          : {
              code: error.code,
              doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, "-")}`
            }),
        ...(error.param === undefined ? {} : { param: error.param })
      }
    },
    {
      status,
      headers: shouldRetry === undefined ? {} : { "Stripe-Should-Retry": String(shouldRetry) }
    }
  )
