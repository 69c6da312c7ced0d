import { Notion, Stripe } from "@workway/integrations"
import { Layer } from "effect"

/** Stripe and Notion, configured from the environment; the Worker adds `fetch` and pacing. */
export const integrations = Layer.mergeAll(Stripe.layer(), Notion.layer())
