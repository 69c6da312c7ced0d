/** How Gmail's answers become verdicts. */
export * from "./classify"
/** Configuration of the Gmail client. */
export * from "./config"
/** The Gmail service and its layer. */
export * from "./Gmail"
/** Composing RFC 822 messages to send. */
export * as Mime from "./mime"
/** Multipart batch bodies. */
export * as Multipart from "./multipart"
/** Message gets as requests, batched and deduplicated. */
export * from "./requests"
/** Gmail's request and response shapes. */
export * from "./schemas"
