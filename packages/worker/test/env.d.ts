declare module "cloudflare:test" {
  interface ProvidedEnv {
    readonly GREETING_SUFFIX: string
  }
}
