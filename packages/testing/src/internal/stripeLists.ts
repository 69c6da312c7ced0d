/** A page of a list, or what was wrong with the paging parameters. */
export type Paged<A> =
  | { readonly _tag: "Page"; readonly data: ReadonlyArray<A>; readonly hasMore: boolean }
  | {
      readonly _tag: "Invalid"
      readonly param: string
      readonly code: string
      readonly message: string
    }

/** Reads `limit`: 10 when absent, an integer from 1 to 100 otherwise. */
export const limitOf = (raw: string | undefined): number | undefined => {
  if (raw === undefined || raw === "") return 10
  if (!/^\d+$/.test(raw)) return undefined
  const limit = Number(raw)
  return limit >= 1 && limit <= 100 ? limit : undefined
}

/**
 * Pages items given newest first: `starting_after` answers the items after (older than) the
 * cursor, `ending_before` those just before (newer than) it, still newest first.
 */
export const page = <A extends { readonly id: string }>(
  items: ReadonlyArray<A>,
  params: {
    readonly limit: string | undefined
    readonly startingAfter: string | undefined
    readonly endingBefore: string | undefined
  },
  noun: string
): Paged<A> => {
  const limit = limitOf(params.limit)
  if (limit === undefined) {
    return {
      _tag: "Invalid",
      param: "limit",
      code: "parameter_invalid_integer",
      message: `Invalid limit: must be an integer between 1 and 100, got ${params.limit}.`
    }
  }
  if (params.startingAfter !== undefined && params.endingBefore !== undefined) {
    return {
      _tag: "Invalid",
      param: "starting_after",
      code: "parameter_invalid_string",
      message: "You may only specify one of these parameters: ending_before, starting_after."
    }
  }
  const cursor = params.startingAfter ?? params.endingBefore
  if (cursor === undefined) {
    return { _tag: "Page", data: items.slice(0, limit), hasMore: items.length > limit }
  }
  const at = items.findIndex((item) => item.id === cursor)
  if (at === -1) {
    return {
      _tag: "Invalid",
      param: params.startingAfter === undefined ? "ending_before" : "starting_after",
      code: "resource_missing",
      message: `No such ${noun}: '${cursor}'`
    }
  }
  if (params.startingAfter !== undefined) {
    const data = items.slice(at + 1, at + 1 + limit)
    return { _tag: "Page", data, hasMore: at + 1 + limit < items.length }
  }
  const from = Math.max(0, at - limit)
  return { _tag: "Page", data: items.slice(from, at), hasMore: from > 0 }
}
