import { richText as runs } from "./Blocks"

/** A title property value. */
export const title = (text: string) => ({ title: runs(text) })

/** A rich text property value. */
export const richText = (text: string) => ({ rich_text: runs(text) })

/** A date property value: a day (`2026-11-12`) or a moment, optionally with an end. */
export const date = (start: string | Date, end?: string | Date) => {
  const iso = (value: string | Date) => (typeof value === "string" ? value : value.toISOString())
  return { date: { start: iso(start), ...(end === undefined ? {} : { end: iso(end) }) } }
}

/** A URL property value. */
export const url = (value: string) => ({ url: value })

/** A number property value. */
export const number = (value: number) => ({ number: value })

/** A checkbox property value. */
export const checkbox = (value: boolean) => ({ checkbox: value })

/** A select property value, by option name. */
export const select = (name: string) => ({ select: { name } })

/** A multi-select property value, by option names. */
export const multiSelect = (names: ReadonlyArray<string>) => ({
  multi_select: names.map((name) => ({ name }))
})

/** A people property value, by Notion user ids. */
export const people = (userIds: ReadonlyArray<string>) => ({
  people: userIds.map((id) => ({ object: "user", id }))
})
