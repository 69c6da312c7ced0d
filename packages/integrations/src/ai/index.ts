/** The AI service and its layer. */
export * from "./Ai"
/** How the provider's answers become verdicts. */
export * from "./classify"
/** Configuration of the AI client. */
export * from "./config"
/** Summarising texts longer than the model's context. */
export * as Summaries from "./Summaries"
/** Request and response shapes. */
export * from "./schemas"
