import { defineWorkersProject } from "@cloudflare/vitest-pool-workers/config"
import { peerScript } from "./vitest.global-setup"

const name = "worker"
const compatibilityDate = "2025-09-01"

// The pool runs the tests in a Worker it names after the project; the peers reach the
// Durable Objects that Worker hosts through this script name.
const testsWorker = `vitest-pool-workers-runner-${name}`

/** A second Worker script sharing the tests' rate-limit Durable Objects, in its own isolate. */
const peer = (peerName: string) => ({
  name: peerName,
  modules: true,
  scriptPath: peerScript,
  compatibilityDate,
  durableObjects: {
    RECORDING_RATE_LIMITER: {
      className: "RecordingRateLimitStore",
      scriptName: testsWorker,
      useSQLite: true
    }
  }
})

export default defineWorkersProject({
  test: {
    name,
    include: ["test/**/*.test.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    poolOptions: {
      workers: {
        main: "./test/fixtures/state-worker.ts",
        singleWorker: true,
        // Durable Objects are shared with the peers and keep alarms between tests; every test
        // uses its own keys instead.
        isolatedStorage: false,
        miniflare: {
          compatibilityDate,
          compatibilityFlags: ["nodejs_compat"],
          bindings: { GREETING_SUFFIX: "!" },
          durableObjects: {
            WORKWAY_RATE_LIMITER: { className: "RateLimitStore", useSQLite: true },
            RECORDING_RATE_LIMITER: { className: "RecordingRateLimitStore", useSQLite: true },
            WORKWAY_STATE: { className: "StateStore", useSQLite: true },
            COUNTING_RUNS: { className: "CountingRun", useSQLite: true }
          },
          kvNamespaces: ["WORKWAY_CACHE"],
          serviceBindings: { PEER_A: "peer-a", PEER_B: "peer-b" },
          workers: [peer("peer-a"), peer("peer-b")]
        }
      }
    }
  }
})
