import type { Route, RouteContext } from "../FakeServer"

/** A route that matched a request, with its key for the statistics. */
export interface Match {
  readonly key: string
  readonly context: RouteContext
  readonly route: Route
}

const segmentsOf = (path: string): ReadonlyArray<string> => path.split("/").slice(1)

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

const matchPattern = (
  pattern: ReadonlyArray<string>,
  path: ReadonlyArray<string>
): Record<string, string> | undefined => {
  if (pattern.length !== path.length) return undefined
  const params: Record<string, string> = {}
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index]!
    const actual = path[index]!
    if (expected.startsWith(":")) {
      const decoded = decodeSegment(actual)
      if (actual === "" || decoded === undefined) return undefined
      params[expected.slice(1)] = decoded
    } else if (expected !== actual) {
      return undefined
    }
  }
  return params
}

/**
 * Finds the route for a request. Parameters are matched on the raw (still percent-encoded)
 * path and decoded once, so an encoded `/` stays inside its segment.
 */
export const match = (
  routes: ReadonlyArray<Route>,
  request: Request
): Match | { readonly key: string; readonly route: undefined } => {
  const url = new URL(request.url)
  const method = request.method.toUpperCase()
  const path = segmentsOf(url.pathname)

  for (const route of routes) {
    if (route.method !== method) continue
    const params = matchPattern(segmentsOf(route.pattern), path)
    if (params !== undefined) {
      return { key: `${method} ${route.pattern}`, route, context: { request, url, params } }
    }
  }
  return { key: `${method} ${url.pathname}`, route: undefined }
}
