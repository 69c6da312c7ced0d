import { describe, expect, it } from "@effect/vitest"
import { Samples } from "@workway/testing"
import { Zoom } from "../src"

const { Vtt } = Zoom

describe("Vtt.parse", () => {
  it("reads Zoom's transcripts: cue times in milliseconds, speaker from the Name: prefix", () => {
    const transcript = Vtt.parse(Samples.toVtt(Samples.transcriptCues))

    expect(transcript.cues).toEqual(
      Samples.transcriptCues.map((cue) => ({
        start: cue.start * 1000,
        end: cue.end * 1000,
        speaker: cue.speaker,
        text: cue.text
      }))
    )
  })

  it("renders the text as Speaker: words lines, joining consecutive cues of one speaker", () => {
    const transcript = Vtt.parse(Samples.toVtt(Samples.transcriptCues))
    const lines = transcript.text.split("\n")

    expect(lines[0]).toBe(
      "Ada Lovelace: Good morning everyone, let's start the weekly product sync. " +
        "The main topic today is the launch of Workway Sync on December 3rd."
    )
    expect(lines[1]).toMatch(/^Grace Hopper: The beta went well/)
    expect(lines).toHaveLength(Samples.transcriptCues.length - 1)
  })

  it("cues without a speaker are spoken by Unknown", () => {
    const transcript = Vtt.parse(
      "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nsomeone says hello\n\n2\n00:00:03.000 --> 00:00:04.000\nBob: hi"
    )

    expect(transcript.cues).toEqual([
      { start: 1000, end: 2500, speaker: "Unknown", text: "someone says hello" },
      { start: 3000, end: 4000, speaker: "Bob", text: "hi" }
    ])
    expect(transcript.text).toBe("Unknown: someone says hello\nBob: hi")
  })

  it("reads voice tags, cue settings, short timestamps, CRLF, a BOM and skips NOTE blocks", () => {
    const vtt = [
      "\uFEFFWEBVTT - meeting",
      "",
      "NOTE written by a captioner",
      "spanning two lines",
      "",
      "intro",
      "01:02.250 --> 01:05.000 align:start position:10%",
      "<v.loud Grace Hopper>We ship &amp; we learn</v>",
      "on Friday.",
      "",
      "00:01:06.000 --> 00:01:07.000",
      "<i>[laughter]</i>",
      ""
    ].join("\r\n")

    expect(Vtt.parse(vtt).cues).toEqual([
      {
        start: 62_250,
        end: 65_000,
        speaker: "Grace Hopper",
        text: "We ship & we learn on Friday."
      },
      { start: 66_000, end: 67_000, speaker: "Unknown", text: "[laughter]" }
    ])
  })

  it("drops cues with broken timings or no text", () => {
    const vtt =
      "WEBVTT\n\n00:00:xx.000 --> 00:00:02.000\nAda: lost\n\n00:00:03.000 --> 00:00:04.000\n"

    expect(Vtt.parse(vtt)).toEqual({ cues: [], text: "" })
  })
})

describe("Vtt.parseTimestamp", () => {
  it("reads hours, minutes, seconds and fractions", () => {
    expect(Vtt.parseTimestamp("01:00:00.000")).toBe(3_600_000)
    expect(Vtt.parseTimestamp("00:02:03.5")).toBe(123_500)
    expect(Vtt.parseTimestamp("10:00,100")).toBe(600_100)
    expect(Vtt.parseTimestamp("later")).toBeUndefined()
  })
})

describe("MeetingId.toPathSegment", () => {
  it("encodes once, or twice for UUIDs that start with / or contain //", () => {
    expect(Zoom.toPathSegment(85746065432)).toBe("85746065432")
    expect(Zoom.toPathSegment("qOTl3lVCRf+zWyyVxT8HHQ==")).toBe("qOTl3lVCRf%2BzWyyVxT8HHQ%3D%3D")
    expect(Zoom.toPathSegment("/gZ4kQ2sTy6Hq1wXv9bN3Ew==")).toBe(
      "%252FgZ4kQ2sTy6Hq1wXv9bN3Ew%253D%253D"
    )
    expect(Zoom.toPathSegment("kP9r//xM2aQe7LzW5tYuHg==")).toBe(
      "kP9r%252F%252FxM2aQe7LzW5tYuHg%253D%253D"
    )
  })
})
