/** One call carried by a batch: its `Content-ID` and the HTTP request inside the part. */
export interface BatchPart {
  readonly contentId: string | undefined
  readonly method: string
  /** The request target: a path with its query, or an absolute URL. */
  readonly target: string
  readonly headers: Headers
  readonly body: string
}

/** One answer of a batch, for the part it answers. */
export interface BatchAnswer {
  readonly contentId: string | undefined
  readonly response: Response
}

/** The boundary of a `multipart/*` content type, quoted or not. */
export const boundaryOf = (contentType: string | null): string | undefined => {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "")
  return match === null ? undefined : (match[1] ?? match[2])
}

const splitHead = (
  text: string
): { readonly head: ReadonlyArray<string>; readonly rest: string } => {
  const normalized = text.replace(/\r\n/g, "\n")
  const split = normalized.indexOf("\n\n")
  const head = split === -1 ? normalized : normalized.slice(0, split)
  return {
    head: head.split("\n").filter((line) => line !== ""),
    rest: split === -1 ? "" : normalized.slice(split + 2)
  }
}

const headersFrom = (lines: ReadonlyArray<string>): Headers => {
  const headers = new Headers()
  for (const line of lines) {
    const colon = line.indexOf(":")
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  return headers
}

/**
 * Reads the parts of a `multipart/mixed` batch body. Answers `undefined` when a part is not an
 * `application/http` request.
 */
export const parse = (body: string, boundary: string): ReadonlyArray<BatchPart> | undefined => {
  const delimiter = `--${boundary}`
  const end = body.indexOf(`${delimiter}--`)
  const sections = (end === -1 ? body : body.slice(0, end)).split(delimiter).slice(1)
  const parts: Array<BatchPart> = []
  for (const section of sections) {
    const outer = splitHead(section.replace(/^\r?\n/, ""))
    const outerHeaders = headersFrom(outer.head)
    if (!(outerHeaders.get("content-type") ?? "").toLowerCase().startsWith("application/http")) {
      return undefined
    }
    const inner = splitHead(outer.rest)
    const [requestLine = "", ...headerLines] = inner.head
    const [method, target] = requestLine.trim().split(/\s+/)
    if (method === undefined || target === undefined) return undefined
    parts.push({
      contentId: outerHeaders.get("content-id") ?? undefined,
      method: method.toUpperCase(),
      target,
      headers: headersFrom(headerLines),
      body: inner.rest.replace(/\n+$/, "")
    })
  }
  return parts
}

const reasons: Readonly<Record<number, string>> = {
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable"
}

/** The `Content-ID` of an answer: `response-` before the request's own id, as Google does. */
export const responseId = (contentId: string | undefined): string | undefined => {
  if (contentId === undefined) return undefined
  const bare = contentId.replace(/^<|>$/g, "")
  return `<response-${bare}>`
}

/** Writes the answers as a `multipart/mixed` body with the given boundary. */
export const render = async (
  answers: ReadonlyArray<BatchAnswer>,
  boundary: string
): Promise<string> => {
  const sections = await Promise.all(
    answers.map(async ({ contentId, response }) => {
      const id = responseId(contentId)
      const head = [
        "Content-Type: application/http",
        ...(id === undefined ? [] : [`Content-ID: ${id}`])
      ]
      const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`)
      const status = `HTTP/1.1 ${response.status} ${reasons[response.status] ?? ""}`.trim()
      return `--${boundary}\r\n${head.join("\r\n")}\r\n\r\n${status}\r\n${headers.join("\r\n")}\r\n\r\n${await response.text()}\r\n`
    })
  )
  return `${sections.join("")}--${boundary}--\r\n`
}
