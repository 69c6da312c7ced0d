import { execFileSync } from "node:child_process"
import * as fs from "node:fs"

/** Where the tests look for Chromium: `WORKWAY_CHROMIUM`, or Debian's package. */
export const chromiumPath = process.env.WORKWAY_CHROMIUM ?? "/usr/bin/chromium"

/** Flags for a headless Chromium that stays off the network except for the page it is sent to. */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync"
]

/**
 * Answers the path of Chromium, installing Debian's package first when it is missing and this is
 * a Debian machine run as root (as CI is). Does nothing when Chromium is already there.
 */
export const ensureChromium = (): string => {
  if (fs.existsSync(chromiumPath)) return chromiumPath
  const canInstall =
    process.platform === "linux" &&
    fs.existsSync("/usr/bin/apt-get") &&
    typeof process.getuid === "function" &&
    process.getuid() === 0
  if (!canInstall) {
    throw new Error(
      `Chromium is not at ${chromiumPath}: install it (Debian: apt-get install chromium) or set ` +
        `WORKWAY_CHROMIUM to its path`
    )
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" }
  execFileSync("apt-get", ["update", "-q"], { env, stdio: "pipe" })
  execFileSync("apt-get", ["install", "-y", "-q", "chromium"], { env, stdio: "pipe" })
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`apt-get installed chromium but ${chromiumPath} is still missing`)
  }
  return chromiumPath
}
