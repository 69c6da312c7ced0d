/** Every test project of the repository; the root vitest config reads its list from here. */
export default [
  "packages/contracts",
  "packages/core",
  "packages/http",
  "packages/integrations",
  "packages/testing",
  "packages/worker",
  "packages/cli",
  "apps/meeting-notes",
  "apps/crm-sync",
  "apps/crm-sync/vitest.node.config.ts",
  "apps/bench"
]
