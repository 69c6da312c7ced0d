/** The Zoom, Notion, Slack and AI fakes together, in process or on loopback. */

/** A fake OpenAI-compatible chat completions endpoint. */
export * as FakeAi from "./FakeAi"
/** A fake Gmail API, with its batch endpoint. */
export * as FakeGmail from "./FakeGmail"
/** A fake Notion API. */
export * as FakeNotion from "./FakeNotion"
/** Shared machinery of the fakes: knobs, statistics, routes, loopback servers, in-process fetch. */
export * as FakeServer from "./FakeServer"
/** A fake Slack Web API. */
export * as FakeSlack from "./FakeSlack"
/** A fake Stripe API, with idempotency keys. */
export * as FakeStripe from "./FakeStripe"
export * as Fakes from "./Fakes"
/** A fake Zoom API, with its OAuth and recording downloads. */
export * as FakeZoom from "./FakeZoom"
/** The sample account, meeting, workspace and credentials the fakes are seeded with. */
export * as Samples from "./Samples"
