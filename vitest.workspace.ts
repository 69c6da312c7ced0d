/** Every test project of the repository; the root vitest config reads its list from here. */
export default [
  "packages/core",
  "packages/http",
  "packages/integrations",
  "packages/testing",
  "packages/worker",
  "apps/meeting-notes"
]
