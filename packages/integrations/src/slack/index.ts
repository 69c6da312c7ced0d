/** How Slack's answers become verdicts. */
export * from "./classify"
/** Configuration of the Slack client. */
export * from "./config"
/** Lookups as requests, deduplicated within a run. */
export * from "./requests"
/** The Slack service and its layer. */
export * from "./Slack"
/** Slack's request and response shapes. */
export * from "./schemas"
