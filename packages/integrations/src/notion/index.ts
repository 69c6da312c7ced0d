/** Splitting blocks into requests within Notion's limits. */
export * as Batches from "./Batches"
/** Builders of the common blocks and of rich text. */
export * as Blocks from "./Blocks"
/** How Notion's answers become verdicts. */
export * from "./classify"
/** Configuration of the Notion client. */
export * from "./config"
/** Paged reads: block children, data source and database queries, search. */
export { defaultPageSize } from "./Lists"
/** What is cached across runs, and for how long. */
export { dataSourceSchemasCache, usersCache } from "./Lookups"
/** The Notion service and its layer. */
export * from "./Notion"
/** Builders of page property values. */
export * as Properties from "./Properties"
/** Lookups as requests, deduplicated within a run. */
export * from "./requests"
/** Notion's request and response shapes. */
export * from "./schemas"
/** Notion-Versions whose behaviour differs. */
export { dataSourcesVersion, inTrashVersion } from "./versions"
