import { defineProject } from "vitest/config"

export default defineProject({
  test: { name: "crm-sync-node", include: ["test/node/**/*.test.ts"], testTimeout: 120_000 }
})
