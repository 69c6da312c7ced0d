/** Apps: finding them and the errors commands answer with. */
export * as App from "./App"
/** Bundling an app's Worker for deployment. */
export * as Build from "./Build"
/** Serving an app locally in workerd. */
export * as Dev from "./Dev"
/** Progress of a run, from its recorder's counts. */
export * as Progress from "./Progress"
/** Run reports as text tables. */
export * as ReportTable from "./ReportTable"
/** Running an app's workflow in Node, against fakes or live. */
export * as Run from "./Run"
/** New apps, from a template. */
export * as Scaffold from "./Scaffold"
