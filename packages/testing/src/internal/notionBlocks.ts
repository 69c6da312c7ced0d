import * as FakeServer from "../FakeServer"
import * as Ids from "./ids"
import { type JsonObject, objectAt } from "./json"
import { paginate } from "./notionQuery"
import * as Respond from "./notionResponses"
import { childrenOf, isListed, type NotionBlock, normalizeId, renderBlock } from "./notionState"
import * as Validation from "./notionValidation"

/** Checks the children of a request, including the limit on blocks in one payload. */
export const checkChildren = (
  env: Respond.NotionEnv,
  raw: unknown
): Validation.Checked<ReadonlyArray<Validation.BlockInput>> => {
  if (raw === undefined) return { _tag: "Valid", value: [] }
  const checked = Validation.children(raw, "body.children", env.limits)
  if (checked._tag === "Invalid") return checked
  const count = Validation.countBlocks(checked.value)
  return count > env.limits.blocks
    ? {
        _tag: "Invalid",
        message:
          `body failed validation: the request holds ${count} blocks, more than the limit ` +
          `of ${env.limits.blocks}.`
      }
    : checked
}

/** Stores checked blocks (and their children) under a page or block, at `position`. */
export const insertBlocks = (
  env: Respond.NotionEnv,
  parentId: string,
  parentType: "page_id" | "block_id",
  blocks: ReadonlyArray<Validation.BlockInput>,
  position?: number
): ReadonlyArray<NotionBlock> => {
  const time = Respond.isoNow(env)
  const created = blocks.map((input) => {
    const block: NotionBlock = {
      id: Ids.uuid("notion", ++env.state.created),
      parentId,
      parentType,
      type: input.type,
      content: input.content,
      createdTime: time,
      lastEditedTime: time
    }
    env.state.blocks.set(block.id, block)
    insertBlocks(env, block.id, "block_id", input.children)
    return block
  })
  const siblings = childrenOf(env.state, parentId)
  siblings.splice(position ?? siblings.length, 0, ...created.map((block) => block.id))
  return created
}

const positionOf = (
  siblings: ReadonlyArray<string>,
  body: JsonObject
): number | string | undefined => {
  const after = typeof body.after === "string" ? body.after : undefined
  const position = objectAt(body, "position")
  const afterBlock =
    position?.type === "after_block" ? objectAt(position, "after_block")?.id : after
  if (position?.type === "start") return 0
  if (afterBlock === undefined) return undefined
  const id = typeof afterBlock === "string" ? normalizeId(afterBlock) : undefined
  const index = id === undefined ? -1 : siblings.indexOf(id)
  return index < 0
    ? `Could not find block with ID: ${String(afterBlock)} among the children.`
    : index + 1
}

const findParent = (env: Respond.NotionEnv, raw: string) => {
  const id = normalizeId(raw)
  if (id === undefined) return Respond.invalidPathId("block_id", raw)
  const page = env.state.pages.get(id)
  if (page !== undefined) return { id, type: "page_id" as const, inTrash: page.inTrash }
  if (env.state.blocks.has(id)) return { id, type: "block_id" as const, inTrash: false }
  return Respond.objectNotFound("block", id)
}

/** `PATCH /v1/blocks/{id}/children`: appends blocks at the end, at the start or after a block. */
export const append = (
  env: Respond.NotionEnv,
  rawId: string,
  body: JsonObject,
  version: string
): Response => {
  const parent = findParent(env, rawId)
  if (parent instanceof Response) return parent
  if (parent.inTrash) {
    return Respond.validationError(
      "Can't edit block that is archived. You must unarchive the block before editing."
    )
  }
  if (body.children === undefined) {
    return Respond.validationError(
      "body failed validation: body.children should be defined, instead was `undefined`."
    )
  }
  const position = positionOf(childrenOf(env.state, parent.id), body)
  if (typeof position === "string") return Respond.validationError(position)

  return Respond.orInvalid(checkChildren(env, body.children), (blocks) => {
    const created = insertBlocks(env, parent.id, parent.type, blocks, position)
    const page = env.state.pages.get(parent.id)
    if (page !== undefined) page.lastEditedTime = Respond.isoNow(env)
    return FakeServer.json({
      object: "list",
      results: created.map((block) => renderBlock(env.state, block, version)),
      next_cursor: null,
      has_more: false,
      type: "block",
      block: {}
    })
  })
}

/** `GET /v1/blocks/{id}/children`: the children of a page or block, paged. */
export const list = (
  env: Respond.NotionEnv,
  rawId: string,
  url: URL,
  version: string
): Response => {
  const parent = findParent(env, rawId)
  if (parent instanceof Response) return parent
  const blocks = childrenOf(env.state, parent.id)
    .map((id) => env.state.blocks.get(id))
    .filter((block): block is NotionBlock => block !== undefined && isListed(env.state, block))
  const paged = paginate(
    blocks,
    {
      startCursor: url.searchParams.get("start_cursor") ?? undefined,
      pageSize: url.searchParams.get("page_size") ?? undefined,
      where: "query"
    },
    env.limits
  )
  return Respond.orInvalid(paged, (page) =>
    FakeServer.json({
      object: "list",
      ...page,
      results: page.results.map((block) => renderBlock(env.state, block, version)),
      type: "block",
      block: {}
    })
  )
}
