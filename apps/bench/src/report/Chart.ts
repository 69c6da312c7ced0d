import type { Report } from "../Result"

const panelWidth = 560
const panelHeight = 110
const left = 120
const top = 40
const gap = 24

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")

/**
 * Accepted requests per second over time, one panel per client, against the real limit (a
 * dashed line), as a self-contained SVG document.
 */
export const render = (report: Report): string | undefined => {
  const chart = report.chart
  if (chart === undefined || chart.series.length === 0) return undefined
  const seconds = Math.max(1, ...chart.series.map((s) => s.perSecond.length))
  const peak = Math.max(chart.limit, ...chart.series.flatMap((s) => s.perSecond))
  const yMax = Math.ceil((peak * 1.15) / 10) * 10
  const barWidth = panelWidth / seconds
  const width = left + panelWidth + 30
  const height = top + chart.series.length * (panelHeight + gap) + 30
  const y = (value: number) => panelHeight - (value / yMax) * panelHeight

  const panels = chart.series.map((series, index) => {
    const offset = top + index * (panelHeight + gap)
    const bars = series.perSecond
      .map((value, second) => {
        const h = panelHeight - y(value)
        return (
          `<rect x="${(second * barWidth + 1).toFixed(1)}" y="${y(value).toFixed(1)}" ` +
          `width="${Math.max(1, barWidth - 2).toFixed(1)}" height="${h.toFixed(1)}" ` +
          `fill="#4a7bd0"><title>${second}–${second + 1} s: ${value} accepted</title></rect>`
        )
      })
      .join("")
    const limitY = y(chart.limit).toFixed(1)
    return [
      `<g transform="translate(${left},${offset})">`,
      `<text x="-12" y="${panelHeight / 2}" text-anchor="end" dominant-baseline="middle" ` +
        `font-weight="bold">${escapeXml(series.client)}</text>`,
      `<rect width="${panelWidth}" height="${panelHeight}" fill="#f7f7f7" stroke="#ccc"/>`,
      bars,
      `<line x1="0" x2="${panelWidth}" y1="${limitY}" y2="${limitY}" stroke="#222" stroke-dasharray="6 4"/>`,
      `<text x="${panelWidth + 4}" y="${limitY}" dominant-baseline="middle" font-size="10">${chart.limit}/s</text>`,
      `<text x="-4" y="0" text-anchor="end" dominant-baseline="hanging" font-size="10">${yMax}</text>`,
      `<text x="-4" y="${panelHeight}" text-anchor="end" font-size="10">0</text>`,
      "</g>"
    ].join("")
  })

  const axis = top + chart.series.length * (panelHeight + gap) - gap + 16
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ` +
      `${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(report.title)}: accepted requests per second per client</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">${escapeXml(report.title)}</text>`,
    `<text x="${left}" y="34" font-size="11" fill="#555">accepted requests per second as the fake ` +
      `counted them; dashed: the real limit</text>`,
    ...panels,
    `<text x="${left + panelWidth / 2}" y="${axis}" text-anchor="middle" font-size="11">seconds ` +
      `since the run started (0 to ${seconds})</text>`,
    "</svg>"
  ].join("\n")
}
