/** One call to carry in a batch: the request line's method and target, and an id to match. */
export interface Part {
  readonly id: string
  readonly method: "GET"
  /** The path and query under the API's host, e.g. `/gmail/v1/users/me/messages/abc?format=full`. */
  readonly target: string
}

/** One answer of a batch, matched to its part by id. */
export interface PartAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * A `multipart/mixed` batch body: each part is `application/http` holding one request, with a
 * `Content-ID` the answer refers back to.
 */
export const encode = (parts: ReadonlyArray<Part>, boundary: string): string =>
  `${parts
    .map(
      (part) =>
        `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <${part.id}>\r\n\r\n` +
        `${part.method} ${part.target} HTTP/1.1\r\nAccept: application/json\r\n\r\n`
    )
    .join("")}--${boundary}--\r\n`

/** The boundary of a `multipart/*` content type, quoted or not. */
export const boundaryOf = (contentType: string | undefined): string | undefined => {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "")
  return match === null ? undefined : (match[1] ?? match[2])
}

const split = (text: string): { head: ReadonlyArray<string>; rest: string } => {
  const at = text.search(/\r?\n\r?\n/)
  if (at === -1) return { head: text.split(/\r?\n/), rest: "" }
  const separator = /\r?\n\r?\n/.exec(text.slice(at))?.[0] ?? "\n\n"
  return { head: text.slice(0, at).split(/\r?\n/), rest: text.slice(at + separator.length) }
}

const headersOf = (lines: ReadonlyArray<string>): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(":")
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  return headers
}

/**
 * Reads a batch answer into answers keyed by the id of the part each answers. Google names an
 * answer `response-<id>`; parts may come in any order.
 */
export const decode = (body: string, boundary: string): ReadonlyMap<string, PartAnswer> => {
  const delimiter = `--${boundary}`
  const end = body.indexOf(`${delimiter}--`)
  const sections = (end === -1 ? body : body.slice(0, end)).split(delimiter).slice(1)
  const answers = new Map<string, PartAnswer>()
  for (const section of sections) {
    const outer = split(section.replace(/^\r?\n/, ""))
    const contentId = headersOf(outer.head)["content-id"]
    if (contentId === undefined) continue
    const inner = split(outer.rest)
    const [statusLine = "", ...headerLines] = inner.head
    const status = Number(/^HTTP\/[\d.]+\s+(\d{3})/.exec(statusLine)?.[1] ?? Number.NaN)
    if (Number.isNaN(status)) continue
    const id = contentId.replace(/^<|>$/g, "").replace(/^response-/, "")
    answers.set(id, {
      status,
      headers: headersOf(headerLines),
      body: inner.rest.replace(/\r?\n$/, "")
    })
  }
  return answers
}
