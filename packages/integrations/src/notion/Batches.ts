import type { NewBlock } from "./schemas"

/** How much one request to Notion may carry. */
export interface Bounds {
  /** Blocks in one `children` array. */
  readonly children: number
  /** Levels of nesting below the blocks of one request. */
  readonly depth: number
  /** Blocks in one request, nested ones included. */
  readonly blocks: number
  /** Bytes of one request body; Notion's cap is 500 KB, this leaves room for the envelope. */
  readonly bytes: number
}

/** Notion's documented request limits. */
export const defaultBounds: Bounds = { children: 100, depth: 2, blocks: 1000, bytes: 450_000 }

/** One block of a request, and the blocks to append under it once Notion has created it. */
export interface Entry {
  readonly block: NewBlock
  readonly later: ReadonlyArray<NewBlock>
}

const contentOf = (block: NewBlock): Readonly<Record<string, unknown>> | undefined => {
  const content = block[block.type]
  return typeof content === "object" && content !== null
    ? (content as Record<string, unknown>)
    : undefined
}

/** The nested blocks of a block, kept where Notion takes them: inside its type's object. */
export const childrenOf = (block: NewBlock): ReadonlyArray<NewBlock> => {
  const children = contentOf(block)?.children
  return Array.isArray(children) ? (children as ReadonlyArray<NewBlock>) : []
}

/** The block without its nested blocks. */
export const withoutChildren = (block: NewBlock): NewBlock => {
  const content = contentOf(block)
  if (content === undefined || !("children" in content)) return block
  const { children: _, ...rest } = content
  return { ...block, [block.type]: rest }
}

const depthOf = (block: NewBlock): number =>
  1 + childrenOf(block).reduce((deepest, child) => Math.max(deepest, depthOf(child)), 0)

const countOf = (block: NewBlock): number =>
  1 + childrenOf(block).reduce((sum, child) => sum + countOf(child), 0)

const encoder = new TextEncoder()

/** Bytes of a value as a JSON request body. */
export const sizeOf = (value: unknown): number => encoder.encode(JSON.stringify(value)).length

/**
 * A block as one request can carry it: whole when its nested blocks fit the bounds, otherwise
 * alone, with its nested blocks appended under it afterwards (where the same rule applies).
 */
export const entryOf = (block: NewBlock, bounds: Bounds = defaultBounds): Entry => {
  const children = childrenOf(block)
  const fits =
    children.length <= bounds.children &&
    depthOf(block) - 1 <= bounds.depth &&
    countOf(block) <= bounds.blocks &&
    sizeOf(block) <= bounds.bytes
  return children.length === 0 || fits
    ? { block, later: [] }
    : { block: withoutChildren(block), later: children }
}

interface Sized {
  readonly entry: Entry
  readonly blocks: number
  readonly bytes: number
}

const sized = (block: NewBlock, bounds: Bounds): Sized => {
  const entry = entryOf(block, bounds)
  // One byte more per block for the comma that separates it from the next.
  return { entry, blocks: countOf(entry.block), bytes: sizeOf(entry.block) + 1 }
}

/** Whether one more block fits a request already holding some. */
const fitsWith = (
  batch: { count: number; blocks: number; bytes: number },
  next: Sized,
  bounds: Bounds
) =>
  batch.count === 0 ||
  (batch.count + 1 <= bounds.children &&
    batch.blocks + next.blocks <= bounds.blocks &&
    batch.bytes + next.bytes <= bounds.bytes)

/**
 * Groups blocks, in order, into requests within the bounds: at most 100 blocks per array, two
 * levels of nesting, 1,000 blocks and about 450 KB each.
 *
 * **Note**: a block whose nested blocks do not fit is created empty and filled afterwards,
 * which Notion refuses for blocks that need their children at creation (tables over 100 rows,
 * column lists).
 */
export const plan = (
  blocks: ReadonlyArray<NewBlock>,
  bounds: Bounds = defaultBounds
): ReadonlyArray<ReadonlyArray<Entry>> => {
  const batches: Array<Array<Entry>> = []
  let current = { entries: [] as Array<Entry>, count: 0, blocks: 0, bytes: 0 }
  for (const block of blocks) {
    const next = sized(block, bounds)
    if (!fitsWith(current, next, bounds)) {
      batches.push(current.entries)
      current = { entries: [], count: 0, blocks: 0, bytes: 0 }
    }
    current.entries.push(next.entry)
    current.count++
    current.blocks += next.blocks
    current.bytes += next.bytes
  }
  if (current.count > 0) batches.push(current.entries)
  return batches
}

/**
 * Splits the children of a new page into those sent with it and those appended after: the
 * leading blocks that fit one request next to `reservedBytes` of properties, up to the first
 * block whose nested blocks must be appended separately (its id is known only once created).
 */
export const forCreate = (
  blocks: ReadonlyArray<NewBlock>,
  reservedBytes: number,
  bounds: Bounds = defaultBounds
): { readonly initial: ReadonlyArray<NewBlock>; readonly rest: ReadonlyArray<NewBlock> } => {
  const batch = { count: 0, blocks: 0, bytes: reservedBytes }
  let taken = 0
  for (const block of blocks) {
    const next = sized(block, bounds)
    const room =
      batch.count + 1 <= bounds.children &&
      batch.blocks + next.blocks <= bounds.blocks &&
      batch.bytes + next.bytes <= bounds.bytes
    if (next.entry.later.length > 0 || !room) break
    batch.count++
    batch.blocks += next.blocks
    batch.bytes += next.bytes
    taken++
  }
  return { initial: blocks.slice(0, taken), rest: blocks.slice(taken) }
}
