import type { NewBlock } from "./schemas"

/** Notion accepts at most this many characters in one rich text object. */
export const maxTextLength = 2000

/** Notion accepts at most this many rich text objects in one array. */
export const maxRichTextItems = 100

/** Styling of a run of text. */
export interface Annotations {
  readonly bold?: boolean
  readonly italic?: boolean
  readonly strikethrough?: boolean
  readonly underline?: boolean
  readonly code?: boolean
  readonly color?: string
}

/** One run of text. */
export interface RichText {
  readonly type: "text"
  readonly text: { readonly content: string; readonly link?: { readonly url: string } }
  readonly annotations?: Annotations
}

/** Options of a run of text. */
export interface TextOptions {
  readonly annotations?: Annotations
  readonly link?: string
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff

/** Cuts text into pieces of at most `max` UTF-16 units, never inside a surrogate pair. */
export const splitText = (text: string, max: number = maxTextLength): ReadonlyArray<string> => {
  const pieces: Array<string> = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(text.length, start + max)
    if (end < text.length && end - start > 1 && isHighSurrogate(text.charCodeAt(end - 1))) end--
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/** Text as rich text objects of at most 2,000 characters each; `[]` for empty text. */
export const richText = (text: string, options: TextOptions = {}): ReadonlyArray<RichText> =>
  splitText(text).map((content) => ({
    type: "text",
    text: options.link === undefined ? { content } : { content, link: { url: options.link } },
    ...(options.annotations === undefined ? {} : { annotations: options.annotations })
  }))

const textBlock =
  (type: string) =>
  (text: string | ReadonlyArray<RichText>, children?: ReadonlyArray<NewBlock>): NewBlock => ({
    object: "block",
    type,
    [type]: {
      rich_text: typeof text === "string" ? richText(text) : text,
      ...(children === undefined || children.length === 0 ? {} : { children })
    }
  })

/**
 * A paragraph. **Note**: one block holds at most 100 rich text objects (200,000 characters);
 * use `paragraphs` for text that may be longer.
 */
export const paragraph = textBlock("paragraph")

/** A top-level heading. */
export const heading1 = textBlock("heading_1")

/** A second-level heading. */
export const heading2 = textBlock("heading_2")

/** A third-level heading. */
export const heading3 = textBlock("heading_3")

/** A bulleted list item, optionally with nested blocks. */
export const bulleted = textBlock("bulleted_list_item")

/** A numbered list item, optionally with nested blocks. */
export const numbered = textBlock("numbered_list_item")

/** A quote. */
export const quote = textBlock("quote")

/** A collapsible toggle holding nested blocks. */
export const toggle = textBlock("toggle")

/** A to-do item. */
export const toDo = (text: string, checked = false): NewBlock => ({
  object: "block",
  type: "to_do",
  to_do: { rich_text: richText(text), checked }
})

/** A horizontal divider. */
export const divider = (): NewBlock => ({ object: "block", type: "divider", divider: {} })

/** A code block. */
export const code = (text: string, language = "plain text"): NewBlock => ({
  object: "block",
  type: "code",
  code: { rich_text: richText(text), language }
})

/**
 * Text of any length as paragraphs: one per blank-line-separated paragraph, and more where a
 * paragraph needs over 100 rich text objects.
 */
export const paragraphs = (text: string): ReadonlyArray<NewBlock> =>
  text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .flatMap((part) => splitText(part, maxTextLength * maxRichTextItems).map((p) => paragraph(p)))
