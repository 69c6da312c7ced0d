import type { Cue, Transcript } from "./schemas"

/** The speaker of cues whose transcript does not name one. */
export const unknownSpeaker = "Unknown"

const timing = /^\s*(\S+)\s+-->\s+(\S+)/
const timestamp = /^(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})$/
const voiceTag = /^<v(?:\.[^\s>]*)?\s+([^>]+)>/
/** Zoom writes `Speaker Name: words`; a name is short and has no `!`, `?` or markup. */
const speakerPrefix = /^([^:!?<>]{1,80}):\s+(.*)$/s

const entities: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
  "&lrm;": "",
  "&rlm;": ""
}

/** Milliseconds of a WebVTT timestamp (`hh:mm:ss.ttt` or `mm:ss.ttt`), if it is one. */
export const parseTimestamp = (text: string): number | undefined => {
  const match = timestamp.exec(text)
  if (match === null) return undefined
  const [, hours = "0", minutes = "0", seconds = "0", fraction = "0"] = match
  return (
    Number(hours) * 3_600_000 +
    Number(minutes) * 60_000 +
    Number(seconds) * 1000 +
    Number(fraction.padEnd(3, "0"))
  )
}

const plain = (text: string): string =>
  text
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp|lrm|rlm);/g, (entity) => entities[entity] ?? entity)
    .replace(/\s+/g, " ")
    .trim()

const speakerAndText = (payload: string): { speaker: string; text: string } => {
  const voice = voiceTag.exec(payload)
  if (voice !== null) return { speaker: plain(voice[1] ?? ""), text: plain(payload) }
  const prefixed = speakerPrefix.exec(plain(payload))
  if (prefixed !== null) {
    return { speaker: (prefixed[1] ?? "").trim(), text: (prefixed[2] ?? "").trim() }
  }
  return { speaker: unknownSpeaker, text: plain(payload) }
}

const cueOf = (lines: ReadonlyArray<string>): Cue | undefined => {
  const at = lines.findIndex((line) => line.includes("-->"))
  if (at === -1) return undefined
  const times = timing.exec(lines[at] ?? "")
  const start = parseTimestamp(times?.[1] ?? "")
  const end = parseTimestamp(times?.[2] ?? "")
  if (start === undefined || end === undefined) return undefined
  const { speaker, text } = speakerAndText(lines.slice(at + 1).join("\n"))
  if (text === "") return undefined
  return { start, end, speaker: speaker === "" ? unknownSpeaker : speaker, text }
}

/** Renders cues as `Speaker: words` lines, joining consecutive cues of the same speaker. */
export const toText = (cues: ReadonlyArray<Cue>): string => {
  const lines: Array<{ speaker: string; words: Array<string> }> = []
  for (const cue of cues) {
    const last = lines[lines.length - 1]
    if (last !== undefined && last.speaker === cue.speaker) last.words.push(cue.text)
    else lines.push({ speaker: cue.speaker, words: [cue.text] })
  }
  return lines.map((line) => `${line.speaker}: ${line.words.join(" ")}`).join("\n")
}

/**
 * Parses a WebVTT transcript into cues. A speaker comes from a `<v Name>` voice tag or a
 * `Name: ` prefix, as Zoom writes it; cues without either are spoken by `Unknown`. Headers,
 * `NOTE`, `STYLE` and `REGION` blocks, cue identifiers, cue settings and markup are dropped.
 */
export const parse = (vtt: string): Transcript => {
  const blocks = vtt
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .reduce<Array<Array<string>>>(
      (acc, line) => {
        if (line.trim() === "") acc.push([])
        else acc[acc.length - 1]?.push(line)
        return acc
      },
      [[]]
    )
  const cues = blocks.flatMap((lines) => {
    const cue = cueOf(lines)
    return cue === undefined ? [] : [cue]
  })
  return { cues, text: toText(cues) }
}
