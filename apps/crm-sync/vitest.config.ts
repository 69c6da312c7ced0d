import { defineWorkersProject } from "@cloudflare/vitest-pool-workers/config"
import { freePort, testSetup } from "./test/harness/setup"

const stripePort = await freePort()
const notionPort = await freePort()

export default defineWorkersProject({
  test: {
    name: "crm-sync",
    include: ["test/workerd/**/*.test.ts"],
    globalSetup: ["./test/harness/global-setup.ts"],
    testTimeout: 120_000,
    poolOptions: {
      workers: {
        main: "./src/worker.ts",
        singleWorker: true,
        isolatedStorage: false,
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          compatibilityFlags: ["nodejs_compat"],
          bindings: {
            STRIPE_SECRET_KEY: testSetup.stripeKey,
            STRIPE_BASE_URL: `http://127.0.0.1:${stripePort}/v1`,
            STRIPE_RATE_LIMIT: "1000",
            NOTION_TOKEN: testSetup.notionToken,
            NOTION_BASE_URL: `http://127.0.0.1:${notionPort}/v1`,
            NOTION_RATE_LIMIT: "1000",
            NOTION_RATE_BURST: "20",
            NOTION_DATA_SOURCE_ID: testSetup.dataSourceId,
            WORKWAY_SEGMENT_SUBREQUESTS: "50",
            WORKWAY_API_TOKEN: testSetup.apiToken
          }
        }
      }
    }
  }
})
