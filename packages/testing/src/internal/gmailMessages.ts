import type { GmailMessage } from "./gmailState"

/** Encodes text as base64url without padding, as Gmail carries bodies and raw messages. */
export const toBase64Url = (text: string): string => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")
}

/** Decodes base64url (padding optional); `undefined` when it is not base64url. */
export const fromBase64Url = (encoded: string): string | undefined => {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encoded)) return undefined
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""))
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)))
  } catch {
    return undefined
  }
}

/** The headers and body of an RFC 822 message. */
export interface Parsed {
  readonly headers: ReadonlyArray<{ readonly name: string; readonly value: string }>
  readonly body: string
}

/** Splits an RFC 822 message into its (unfolded) headers and its body. */
export const parseRfc822 = (raw: string): Parsed => {
  const normalized = raw.replace(/\r\n/g, "\n")
  const split = normalized.indexOf("\n\n")
  const head = split === -1 ? normalized : normalized.slice(0, split)
  const body = split === -1 ? "" : normalized.slice(split + 2)
  const headers: Array<{ name: string; value: string }> = []
  for (const line of head.split("\n")) {
    const last = headers[headers.length - 1]
    if (/^[ \t]/.test(line) && last !== undefined) {
      last.value = `${last.value} ${line.trim()}`
      continue
    }
    const colon = line.indexOf(":")
    if (colon > 0)
      headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() })
  }
  return { headers, body }
}

/** The first header of that name, compared without case. */
export const headerOf = (parsed: Parsed, name: string): string | undefined =>
  parsed.headers.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value

const rfc822Date = (ms: number): string => new Date(ms).toUTCString().replace("GMT", "+0000")

/** The headers Gmail shows for a stored message. */
const headersOf = (message: GmailMessage) => [
  { name: "From", value: message.from },
  { name: "To", value: message.to },
  { name: "Subject", value: message.subject },
  { name: "Date", value: rfc822Date(message.internalDate) },
  { name: "Message-ID", value: `<${message.id}@mail.example.com>` },
  { name: "Content-Type", value: 'text/plain; charset="UTF-8"' }
]

/** The message as RFC 822 text. */
export const rfc822Of = (message: GmailMessage): string =>
  `${headersOf(message)
    .map((header) => `${header.name}: ${header.value}`)
    .join("\r\n")}\r\n\r\n${message.text}`

const snippetOf = (text: string): string => text.replace(/\s+/g, " ").trim().slice(0, 200)

/** The formats of `messages.get`. */
export type Format = "minimal" | "full" | "metadata" | "raw"

/** Whether a `format` parameter names one of Gmail's formats (case-insensitive, as Gmail reads it). */
export const formatOf = (raw: string | null): Format | undefined => {
  const format = (raw ?? "full").toLowerCase()
  return format === "minimal" || format === "full" || format === "metadata" || format === "raw"
    ? format
    : undefined
}

/**
 * A message as `messages.get` answers it in a format: `minimal` has ids, labels, snippet and
 * sizes; `metadata` adds the headers (only `metadataHeaders` when given); `full` adds the body,
 * base64url-encoded; `raw` carries the whole RFC 822 message base64url-encoded instead.
 */
export const render = (
  message: GmailMessage,
  format: Format,
  metadataHeaders: ReadonlyArray<string> = []
) => {
  const raw = rfc822Of(message)
  const size = new TextEncoder().encode(raw).length
  const minimal = {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    snippet: snippetOf(message.text),
    sizeEstimate: size,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate)
  }
  switch (format) {
    case "minimal":
      return minimal
    case "raw":
      return { ...minimal, raw: toBase64Url(raw) }
    case "metadata": {
      const wanted = metadataHeaders.map((name) => name.toLowerCase())
      const headers = headersOf(message).filter(
        (header) => wanted.length === 0 || wanted.includes(header.name.toLowerCase())
      )
      return { ...minimal, payload: { mimeType: "text/plain", headers } }
    }
    case "full":
      return {
        ...minimal,
        payload: {
          partId: "",
          mimeType: "text/plain",
          filename: "",
          headers: headersOf(message),
          body: {
            size: new TextEncoder().encode(message.text).length,
            data: toBase64Url(message.text)
          }
        }
      }
  }
}
