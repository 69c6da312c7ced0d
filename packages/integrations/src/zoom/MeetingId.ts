/** A meeting's number, or the UUID of one of its instances. */
export type MeetingId = string | number

/**
 * A meeting id as a path segment. Zoom routes on the decoded path, so a UUID that starts with
 * `/` or contains `//` is encoded twice; everything else once.
 */
export const toPathSegment = (id: MeetingId): string => {
  const text = String(id)
  const once = encodeURIComponent(text)
  return text.startsWith("/") || text.includes("//") ? encodeURIComponent(once) : once
}
