/** Text generation and summaries with an OpenAI-compatible API. */
export * as Ai from "./ai"
/** Notion pages and blocks. */
export * as Notion from "./notion"
/** Slack users and messages. */
export * as Slack from "./slack"
/** Zoom meetings, recordings and transcripts. */
export * as Zoom from "./zoom"
