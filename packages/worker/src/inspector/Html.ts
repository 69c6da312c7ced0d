const entities: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
}

/** Text made safe for HTML and SVG content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (character) => entities[character] ?? character)

/** Milliseconds as a short duration: `0.4 ms`, `312 ms`, `4.2 s`, `3 min 5 s`. */
export const duration = (ms: number): string => {
  if (ms < 10) return `${ms.toFixed(1)} ms`
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

const styles = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: #f8fafc; color: #0f172a;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: #1d4ed8; text-decoration: none; }
a:hover { text-decoration: underline; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 28px 0 8px; color: #334155; }
.meta { color: #475569; margin: 0 0 16px; }
.meta span + span::before { content: "·"; margin: 0 8px; color: #94a3b8; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.ok { background: #dcfce7; color: #166534; }
.failed { background: #fee2e2; color: #991b1b; }
table { border-collapse: collapse; background: #fff; border: 1px solid #e2e8f0; }
th, td { padding: 6px 12px; text-align: right; border-bottom: 1px solid #e2e8f0; white-space: nowrap; }
th { background: #f1f5f9; font-weight: 600; color: #334155; font-size: 12px; }
th:first-child, td:first-child { text-align: left; }
td.left, th.left { text-align: left; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.chart { background: #fff; border: 1px solid #e2e8f0; padding: 8px 0; overflow-x: auto; }
.chart svg { display: block; width: 100%; min-width: 720px; height: auto; }
.note { color: #475569; font-size: 13px; max-width: 760px; }
.error { color: #991b1b; background: #fef2f2; border: 1px solid #fecaca; padding: 8px 12px; max-width: 960px; }
`

/**
 * A complete HTML document with inline styles: no scripts, fonts or other external assets, so
 * the page renders the same offline and under a strict Content-Security-Policy.
 */
export const document = (title: string, body: string): string =>
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
${body}
</body>
</html>
`

/** Headers of every inspector page: HTML that may load nothing but its own inline styles. */
export const headers: Readonly<Record<string, string>> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
  "cache-control": "no-store"
}
