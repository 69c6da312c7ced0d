import { Encoding } from "effect"
import type { OutgoingMessage } from "./schemas"

/** A header value on one line: line breaks would let a value add headers of its own. */
const oneLine = (value: string): string => value.replace(/[\r\n]+/g, " ").trim()

/** Encodes a header value as an RFC 2047 word when it is not plain ASCII. */
const encodeWord = (value: string): string =>
  /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Encoding.encodeBase64(value)}?=`

const addresses = (value: string | ReadonlyArray<string>): string =>
  (typeof value === "string" ? [value] : value).map(oneLine).join(", ")

/** The RFC 822 text of a plain-text message, lines ending in CRLF. */
export const compose = (message: OutgoingMessage): string => {
  const headers = [
    ...(message.from === undefined ? [] : [`From: ${oneLine(message.from)}`]),
    `To: ${addresses(message.to)}`,
    ...(message.cc === undefined ? [] : [`Cc: ${addresses(message.cc)}`]),
    `Subject: ${encodeWord(oneLine(message.subject))}`,
    ...(message.inReplyTo === undefined
      ? []
      : [
          `In-Reply-To: ${oneLine(message.inReplyTo)}`,
          `References: ${oneLine(message.inReplyTo)}`
        ]),
    "MIME-Version: 1.0",
    'Content-Type: text/plain; charset="UTF-8"',
    "Content-Transfer-Encoding: 8bit"
  ]
  return `${headers.join("\r\n")}\r\n\r\n${message.text.replace(/\r?\n/g, "\r\n")}`
}

/** A message as `messages.send` takes it: RFC 822, base64url-encoded. */
export const raw = (message: OutgoingMessage): string => Encoding.encodeBase64Url(compose(message))
