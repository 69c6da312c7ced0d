/** How Zoom's answers become verdicts. */
export * from "./classify"
/** Configuration of the Zoom client. */
export * from "./config"
/** Meeting ids in paths. */
export * from "./MeetingId"
/** Zoom's request and response shapes. */
export * from "./schemas"
/** WebVTT transcripts. */
export * as Vtt from "./Vtt"
/** The Zoom service and its layer. */
export * from "./Zoom"
