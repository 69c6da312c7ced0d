import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test"
import { describe, expect, it } from "vitest"
import { handler, misconfigured } from "./fixtures/greeter"

const call = async (target: typeof handler, request: Request) => {
  const ctx = createExecutionContext()
  const response = await target.fetch(request, env, ctx)
  await waitOnExecutionContext(ctx)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) }
}

// Addressed to loopback: without WORKWAY_API_TOKEN, only local requests may run the workflow.
const post = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://localhost/execute", { method: "POST", body, headers })

describe("Worker.make", () => {
  it("runs the workflow and answers its result with the run report", async () => {
    const { status, body } = await call(handler, post(JSON.stringify({ person: { name: "Ada" } })))
    expect(status).toBe(200)
    expect(body.success).toBe(true)
    expect(body.result).toEqual({ message: "Hello, Ada!" })
    expect(body.report.workflow).toBe("greeter")
    expect(typeof body.report.runId).toBe("string")
  })

  it("answers 400 naming the field path when the payload does not match the schema", async () => {
    const { status, body } = await call(handler, post(JSON.stringify({ person: { name: 42 } })))
    expect(status).toBe(400)
    expect(body.error.type).toBe("InvalidPayload")
    expect(body.error.issues).toContainEqual(expect.objectContaining({ path: "$.person.name" }))
  })

  it("answers 400 for a body that is not JSON", async () => {
    const { status, body } = await call(handler, post("{ not json"))
    expect(status).toBe(400)
    expect(body.error.type).toBe("InvalidJson")
  })

  it("answers 413 for a body over the limit, declared or streamed", async () => {
    const large = JSON.stringify({ person: { name: "x".repeat(2048) } })
    const declared = await call(handler, post(large))
    expect(declared.status).toBe(413)
    expect(declared.body.error.type).toBe("TooLarge")
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(large))
        controller.close()
      }
    })
    const streamed = await call(
      handler,
      new Request("http://localhost/execute", {
        method: "POST",
        body: stream,
        duplex: "half"
      } as RequestInit)
    )
    expect(streamed.status).toBe(413)
  })

  it("answers 405 with Allow for a wrong method and 404 for an unknown path", async () => {
    const wrongMethod = await call(
      handler,
      new Request("http://localhost/execute", { method: "GET" })
    )
    expect(wrongMethod.status).toBe(405)
    expect(wrongMethod.headers.get("allow")).toBe("POST")
    const unknown = await call(handler, new Request("http://localhost/nope"))
    expect(unknown.status).toBe(404)
    expect(unknown.body.error.type).toBe("NotFound")
  })

  it("answers GET /health", async () => {
    const { status, body } = await call(handler, new Request("http://localhost/health"))
    expect(status).toBe(200)
    expect(body).toEqual({ ok: true, workflow: "greeter", version: "1.0.0" })
  })

  it("answers a typed workflow failure as JSON with its report", async () => {
    const { status, body } = await call(
      handler,
      post(JSON.stringify({ person: { name: "Ada" }, mood: "grumpy" }))
    )
    expect(status).toBe(422)
    expect(body.success).toBe(false)
    expect(body.error).toMatchObject({ type: "Grumpy", reason: "no greetings today" })
    expect(body.report.workflow).toBe("greeter")
  })

  it("answers a defect with a 500 JSON error and no internals", async () => {
    const { status, body, text } = await call(
      handler,
      post(JSON.stringify({ person: { name: "Ada" }, mood: "broken" }))
    )
    expect(status).toBe(500)
    expect(body.error.type).toBe("InternalError")
    expect(text).not.toContain("secret internal detail")
    expect(text).not.toContain("at ")
  })

  it("answers a missing configuration with a JSON error that names the variable", async () => {
    const { status, body } = await call(
      misconfigured,
      post(JSON.stringify({ person: { name: "Ada" } }))
    )
    expect(status).toBe(500)
    expect(body.error.type).toBe("ConfigurationError")
    expect(body.error.message).toContain("MISSING_SUFFIX")
  })
})
