import { defineWorkersProject } from "@cloudflare/vitest-pool-workers/config"

export default defineWorkersProject({
  test: {
    name: "worker",
    include: ["test/**/*.test.ts"],
    poolOptions: {
      workers: {
        singleWorker: true,
        miniflare: {
          compatibilityDate: "2025-09-01",
          compatibilityFlags: ["nodejs_compat"],
          bindings: { GREETING_SUFFIX: "!" }
        }
      }
    }
  }
})
