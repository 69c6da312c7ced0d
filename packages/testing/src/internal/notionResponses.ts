import * as FakeServer from "../FakeServer"
import type { NotionState } from "./notionState"
import type { Checked, Limits } from "./notionValidation"

/** What every Notion handler works with. */
export interface NotionEnv {
  readonly state: NotionState
  readonly limits: Limits
  readonly now: () => number
}

/** An error in Notion's envelope. */
export const notionError = (
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>
): Response =>
  FakeServer.json(
    { object: "error", status, code, message, request_id: crypto.randomUUID() },
    { status, ...(headers === undefined ? {} : { headers }) }
  )

/** A 400 `validation_error`. */
export const validationError = (message: string): Response =>
  notionError(400, "validation_error", message)

/** A 404 `object_not_found`, worded as Notion words it. */
export const objectNotFound = (kind: string, id: string): Response =>
  notionError(
    404,
    "object_not_found",
    `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared ` +
      `with your integration.`
  )

/** The 400 Notion answers for a path id that is not a UUID. */
export const invalidPathId = (name: string, raw: string): Response =>
  validationError(
    `path failed validation: path.${name} should be a valid uuid, instead was \`${JSON.stringify(raw)}\`.`
  )

/** Answers a checked value, or its validation error. */
export const orInvalid = <A>(checked: Checked<A>, onValid: (value: A) => Response): Response =>
  checked._tag === "Invalid" ? validationError(checked.message) : onValid(checked.value)

/** The current time as Notion writes timestamps: rounded down to the minute. */
export const isoNow = (env: NotionEnv): string =>
  new Date(Math.floor(env.now() / 60_000) * 60_000).toISOString()
