/** Removing repeated deliveries of one event. */
export * as Dedupe from "./Dedupe"
/** HMAC-SHA256 signatures over raw bodies. */
export * as Hmac from "./Hmac"
/** The `/webhooks/<service>` routes. */
export * as Route from "./Route"
/** Slack request signing and payloads. */
export * as Slack from "./Slack"
/** Stripe webhook signatures and events. */
export * as Stripe from "./Stripe"
/** What a vendor's webhook scheme consists of. */
export * from "./Vendor"
/** Zoom webhook signatures, events and endpoint validation. */
export * as Zoom from "./Zoom"
