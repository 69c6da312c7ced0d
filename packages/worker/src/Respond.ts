/** The body of every error the Worker answers. */
export interface ErrorBody {
  readonly success: false
  readonly error: {
    readonly type: string
    readonly message: string
    readonly issues?: ReadonlyArray<{ readonly path: string; readonly message: string }>
    readonly runId?: string
  }
}

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers }
  })

/** A JSON error response that names the problem and nothing more. */
export const error = (
  status: number,
  type: string,
  message: string,
  extra: Partial<Omit<ErrorBody["error"], "type" | "message">> = {},
  headers: Record<string, string> = {}
): Response =>
  json({ success: false, error: { type, message, ...extra } } satisfies ErrorBody, status, headers)
