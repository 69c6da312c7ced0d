/** Serving an app locally in workerd. */
export * as Dev from "./Dev"
/** Run reports as text tables. */
export * as ReportTable from "./ReportTable"
