import path from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const root = path.dirname(fileURLToPath(import.meta.url))

/** Where the peer Worker script is bundled before the tests start. */
export const peerScript = path.join(root, "node_modules/.cache/workway-test/peer.js")

/**
 * Bundles the peer Worker script: a second Worker, in its own isolate, that shares the tests'
 * Durable Objects. Auxiliary Workers get no Vite transforms, so it runs as one plain module.
 */
export default async function setup(): Promise<void> {
  await build({
    entryPoints: [path.join(root, "test/fixtures/peer.ts")],
    outfile: peerScript,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    logLevel: "warning"
  })
}
