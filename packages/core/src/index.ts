/** Checkpointed iteration of long lists, resumable across invocations. */
export * as Checkpoint from "./Checkpoint"
/** Errors shared by every package. */
export * from "./Errors"
/** Turning schema errors into field paths. */
export * as Issues from "./Issues"
/** Per-run timings and counts. */
export * as RunReport from "./RunReport"
/** Typed key-value storage with expiry. */
export * as Storage from "./Storage"
/** What starts a workflow. */
export * as Trigger from "./Trigger"
/** Defining and executing workflows. */
export * as Workflow from "./Workflow"
