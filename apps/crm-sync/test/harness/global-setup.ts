import type { TestProject } from "vitest/node"
import * as Fakes from "./fakes"
import { testSetup } from "./setup"

const portOf = (url: unknown): number => {
  if (typeof url !== "string")
    throw new Error("the test config must bind STRIPE_BASE_URL and NOTION_BASE_URL")
  return Number(new URL(url).port)
}

/** Serves the Stripe and Notion fakes on the ports the Worker's bindings point at. */
export default async function setup(project: TestProject) {
  const workers = (
    project.config.poolOptions as {
      workers?: { miniflare?: { bindings?: Record<string, unknown> } }
    }
  )?.workers
  const bindings = workers?.miniflare?.bindings ?? {}
  const fakes = await Fakes.start({
    ...testSetup,
    stripePort: portOf(bindings.STRIPE_BASE_URL),
    notionPort: portOf(bindings.NOTION_BASE_URL)
  })
  return () => fakes.close()
}
