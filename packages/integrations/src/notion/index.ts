/** Splitting blocks into requests within Notion's limits. */
export * as Batches from "./Batches"
/** Builders of the common blocks and of rich text. */
export * as Blocks from "./Blocks"
/** How Notion's answers become verdicts. */
export * from "./classify"
/** Configuration of the Notion client. */
export * from "./config"
/** The Notion service and its layer. */
export * from "./Notion"
/** Builders of page property values. */
export * as Properties from "./Properties"
/** Notion's request and response shapes. */
export * from "./schemas"
