import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import { Auth } from "@workway/worker"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { handler } from "./fixtures/greeter"

type Env = Readonly<Record<string, unknown>>

const token = "api-token-for-tests-5d1c"
const guarded: Env = { ...env, WORKWAY_API_TOKEN: token }
const open: Env = { ...env }

const call = async (url: string, init: RequestInit = {}, bindings: Env = guarded) => {
  const ctx = createExecutionContext()
  const response = await handler.fetch(new Request(url, init), bindings, ctx)
  await waitOnExecutionContext(ctx)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text }
}

const execute = (url: string, headers: Record<string, string> = {}, bindings?: Env) =>
  call(
    url,
    { method: "POST", body: JSON.stringify({ person: { name: "Ada" } }), headers },
    bindings
  )

const errorOf = (text: string) =>
  (JSON.parse(text) as { error: { type: string; message: string } }).error

describe("API token", () => {
  it("runs /execute with the configured bearer token", async () => {
    const result = await execute("https://app.example.com/execute", {
      authorization: `Bearer ${token}`
    })
    expect(result.status).toBe(200)
    const lowerCase = await execute("https://app.example.com/execute", {
      authorization: `bearer ${token}`
    })
    expect(lowerCase.status).toBe(200)
  })

  it("answers 401 JSON for a missing, wrong or differently long token, even on loopback", async () => {
    for (const headers of [
      {},
      { authorization: "Bearer wrong-token-for-tests-5d1c" },
      { authorization: `Bearer ${token}x` },
      { authorization: `Basic ${btoa(`user:${token}`)}` },
      { authorization: token }
    ]) {
      for (const host of ["https://app.example.com", "http://127.0.0.1:8787"]) {
        const result = await execute(`${host}/execute`, headers)
        expect(result.status).toBe(401)
        expect(result.headers.get("www-authenticate")).toContain("Bearer")
        expect(errorOf(result.text).type).toBe("Unauthorized")
        expect(result.text).not.toContain(token)
      }
    }
  })

  it("checks the token before reading the body or building the workflow's services", async () => {
    const result = await call("https://app.example.com/execute", { method: "GET" })
    expect(result.status).toBe(401)
  })

  it("guards the inspector and long runs as it guards /execute", async () => {
    for (const path of ["/__workway", "/__workway/runs/anything?format=json", "/runs", "/runs/x"]) {
      const anonymous = await call(`https://app.example.com${path}`)
      expect(anonymous.status).toBe(401)
      expect(errorOf(anonymous.text).type).toBe("Unauthorized")
    }
    const inspector = await call("https://app.example.com/__workway?format=json", {
      headers: { authorization: `Bearer ${token}` }
    })
    expect(inspector.status).toBe(200)
  })

  it("leaves /health open to anyone", async () => {
    const result = await call("https://app.example.com/health", {}, open)
    expect(result.status).toBe(200)
  })
})

describe("without WORKWAY_API_TOKEN", () => {
  it("serves requests addressed to loopback, for local development", async () => {
    for (const host of ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787"]) {
      const result = await execute(`${host}/execute`, {}, open)
      expect(result.status).toBe(200)
    }
  })

  it("refuses every other host with a 401 that says to set WORKWAY_API_TOKEN", async () => {
    for (const host of ["https://app.example.com", "http://10.0.0.5", "http://127.0.0.1.nip.io"]) {
      const result = await execute(`${host}/execute`, { authorization: "Bearer anything" }, open)
      expect(result.status).toBe(401)
      expect(errorOf(result.text).message).toContain("WORKWAY_API_TOKEN")
      const inspector = await call(`${host}/__workway`, {}, open)
      expect(inspector.status).toBe(401)
    }
  })

  it("treats a blank token as not configured, never as an empty password", async () => {
    const blank = { ...env, WORKWAY_API_TOKEN: "  " }
    const result = await execute(
      "https://app.example.com/execute",
      { authorization: "Bearer " },
      blank
    )
    expect(result.status).toBe(401)
    expect(errorOf(result.text).message).toContain("WORKWAY_API_TOKEN")
  })
})

describe("Auth.constantTimeEqual", () => {
  it("tells equal strings from different ones of any length", async () => {
    const equal = (a: string, b: string) => Effect.runPromise(Auth.constantTimeEqual(a, b))
    expect(await equal(token, token)).toBe(true)
    expect(await equal(token, `${token} `)).toBe(false)
    expect(await equal(token, token.replace("5d1c", "5d1d"))).toBe(false)
    expect(await equal("", "")).toBe(true)
    expect(await equal("", "a")).toBe(false)
  })
})
