import * as net from "node:net"

/** Ports and credentials the test config hands to the fakes and to the Worker's bindings. */
export interface TestSetup {
  readonly stripePort: number
  readonly notionPort: number
  readonly stripeKey: string
  readonly notionToken: string
  readonly dataSourceId: string
}

/** Credentials and ids shared by the fakes and the Worker under test. */
export const testSetup = {
  stripeKey: "sk_test_crmsync0000000000000000",
  notionToken: "secret_crm_sync_tests",
  dataSourceId: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
  apiToken: "crm-sync-tests-api-token"
} as const

/** A port nobody listens on right now, on loopback. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        resolve(typeof address === "object" && address !== null ? address.port : 0)
      )
    })
  })
