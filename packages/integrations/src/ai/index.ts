/** The AI service and its layer over an OpenAI-compatible API. */
export * from "./Ai"
/** How the provider's answers become verdicts. */
export * from "./classify"
/** Configuration of the AI clients. */
export * from "./config"
/** Summarising texts longer than the model's context. */
export * as Summaries from "./Summaries"
/** Request and response shapes. */
export * from "./schemas"
/** The AI service over a Workers AI binding. */
export * from "./WorkersAi"
