declare module "cloudflare:test" {
  interface ProvidedEnv {
    readonly STRIPE_BASE_URL: string
    readonly NOTION_BASE_URL: string
    readonly WORKWAY_API_TOKEN: string
    readonly CRM_SYNC_RUNS: DurableObjectNamespace
  }
}
