// The part of node:crypto the tests use to sign webhooks independently of the verifier; workerd
// provides the module with the nodejs_compat flag.
declare module "node:crypto" {
  interface Hmac {
    update(data: string | Uint8Array): Hmac
    digest(encoding: "hex"): string
  }
  export function createHmac(algorithm: "sha256", key: string): Hmac
}
