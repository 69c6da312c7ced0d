/** How Stripe's answers become verdicts. */
export * from "./classify"
/** Configuration of the Stripe client. */
export * from "./config"
/** Bracket-notation form bodies. */
export * as Form from "./form"
/** The Stripe service and its layer. */
export * from "./Stripe"
/** Stripe's request and response shapes. */
export * from "./schemas"
