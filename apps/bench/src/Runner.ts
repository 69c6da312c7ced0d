import { type ChildProcess, fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import type { FromChild, Job, Outcome, ToChild } from "./Job"

const entry = fileURLToPath(new URL("./child.ts", import.meta.url))
const benchDir = fileURLToPath(new URL("..", import.meta.url))

/** The environment of a client process: the harness's, without any `NOTION_`/`SLACK_` setting. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(NOTION|SLACK)_/.test(name)))

interface Running {
  readonly child: ChildProcess
  readonly ready: Promise<void>
  readonly done: Promise<Outcome>
}

/**
 * V8 flags of a client process. A listing runs with the old generation capped at the 128 MB a
 * Worker isolate gets, so that the heap grows as it would there rather than as lazily as V8
 * lets it on a server with memory to spare.
 */
const flagsOf = (job: Job): ReadonlyArray<string> =>
  job.kind === "paginate" ? ["--max-old-space-size=128"] : []

const start = (job: Job): Running => {
  const child = fork(entry, [], {
    cwd: benchDir,
    execArgv: ["--import", "tsx", "--expose-gc", ...flagsOf(job)],
    env: cleanEnv(),
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  let onReady: () => void = () => undefined
  let fail: (error: Error) => void = () => undefined
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve
    fail = reject
  })
  const done = new Promise<Outcome>((resolve, reject) => {
    const failBoth = (error: Error) => {
      fail(error)
      reject(error)
    }
    child.on("message", (message: FromChild) => {
      if (message.type === "ready") onReady()
      else if (message.type === "done") resolve(message.outcome)
      else failBoth(new Error(`${job.client} failed its ${job.kind} job: ${message.message}`))
    })
    child.on("error", failBoth)
    child.on("exit", (code) => {
      failBoth(new Error(`${job.client} exited with code ${code} before answering`))
    })
  })
  ready.catch(() => undefined)
  child.send({ type: "job", job } satisfies ToChild)
  return { child, ready, done }
}

/**
 * Runs jobs in processes of their own, started together once every process is ready (imports
 * and layers built), so that concurrent processes meet the vendor at the same time.
 */
export const runTogether = async (jobs: ReadonlyArray<Job>): Promise<ReadonlyArray<Outcome>> => {
  const running = jobs.map(start)
  try {
    await Promise.all(running.map((r) => r.ready))
    for (const r of running) r.child.send({ type: "go" } satisfies ToChild)
    return await Promise.all(running.map((r) => r.done))
  } finally {
    for (const r of running) if (r.child.exitCode === null) r.child.kill()
  }
}

/** Runs one job in a process of its own. */
export const runOne = async (job: Job): Promise<Outcome> => {
  const [outcome] = await runTogether([job])
  if (outcome === undefined) throw new Error("no outcome")
  return outcome
}
