/** Text generation and summaries, over an OpenAI-compatible API or a Workers AI binding. */
export * as Ai from "./ai"
/** Gmail: messages, history and labels, with gets batched. */
export * as Gmail from "./gmail"
/** Pages of vendor lists as streams, with their cursors; collecting with a cap. */
export * as Paging from "./internal/Paging"
/** Notion pages, blocks, data sources, search and users. */
export * as Notion from "./notion"
/** Slack users, messages and conversations. */
export * as Slack from "./slack"
/** Stripe: customers, charges and payment intents, every POST idempotent. */
export * as Stripe from "./stripe"
/** Zoom meetings, participants, recordings and transcripts. */
export * as Zoom from "./zoom"
