import { StorageError } from "@workway/core"
import { Effect, Schema } from "effect"

/** A value as the JSON text storage keeps, or a `StorageError` naming the key. */
export const encodeJson = <A, I>(
  key: string,
  schema: Schema.Schema<A, I>,
  value: A
): Effect.Effect<string, StorageError> =>
  Schema.encode(Schema.parseJson(schema))(value).pipe(
    Effect.mapError((error) => new StorageError({ operation: "set", key, detail: error.message }))
  )
