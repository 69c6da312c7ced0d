/** Storage over a Durable Object's own storage. */
export * as LocalStorage from "./LocalStorage"
/** Long runs carried by a Durable Object's alarm, segment by segment. */
export * as LongRun from "./LongRun"
/** Routes that start and follow long runs. */
export * as Runs from "./Routes"
