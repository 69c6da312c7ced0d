import * as fs from "node:fs"
import { Effect } from "effect"
import * as Toml from "smol-toml"
import { CliError, display } from "./App"

/** A Durable Object binding of `wrangler.toml`. */
export interface DurableObjectBinding {
  readonly name: string
  readonly class_name: string
  readonly script_name?: string
}

/** A KV namespace binding of `wrangler.toml`. */
export interface KvBinding {
  readonly binding: string
  readonly id?: string
  readonly preview_id?: string
}

/** A Durable Object migration of `wrangler.toml`. */
export interface Migration {
  readonly tag: string
  readonly new_classes?: ReadonlyArray<string>
  readonly new_sqlite_classes?: ReadonlyArray<string>
  readonly [key: string]: unknown
}

/** The parts of a `wrangler.toml` workway reads; everything else is kept as it is. */
export interface Config {
  readonly name?: string
  readonly main?: string
  readonly compatibility_date?: string
  readonly compatibility_flags?: ReadonlyArray<string>
  readonly vars?: Readonly<Record<string, unknown>>
  readonly kv_namespaces?: ReadonlyArray<KvBinding>
  readonly durable_objects?: { readonly bindings?: ReadonlyArray<DurableObjectBinding> }
  readonly migrations?: ReadonlyArray<Migration>
  readonly [key: string]: unknown
}

/** Reads and parses a `wrangler.toml`. */
export const read = (file: string): Effect.Effect<Config, CliError> =>
  Effect.try({
    try: () => Toml.parse(fs.readFileSync(file, "utf8")) as Config,
    catch: (cause) =>
      new CliError({
        message: `Cannot read ${display(file)}: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })

/** The plain-text vars of a config, as strings. */
export const varsOf = (config: Config): Record<string, string> =>
  Object.fromEntries(
    Object.entries(config.vars ?? {}).flatMap(([key, value]) =>
      typeof value === "string" || typeof value === "number" || typeof value === "boolean"
        ? [[key, String(value)]]
        : []
    )
  )

/** The Durable Objects workway's state classes need when the Worker exports them. */
export const stateBindings: ReadonlyArray<DurableObjectBinding> = [
  { name: "WORKWAY_RATE_LIMITER", class_name: "RateLimitStore" },
  { name: "WORKWAY_STATE", class_name: "StateStore" }
]

const migratedClasses = (migrations: ReadonlyArray<Migration>): Set<string> =>
  new Set(
    migrations.flatMap((migration) => [
      ...(migration.new_classes ?? []),
      ...(migration.new_sqlite_classes ?? [])
    ])
  )

/**
 * The config to deploy a bundled Worker with: the app's config pointing at the bundle (and no
 * custom build), plus a Durable Object binding and a migration creating it for each workway state
 * class the bundle exports and the app does not bind yet.
 */
export const forBundle = (
  config: Config,
  options: { readonly main: string; readonly exports: ReadonlyArray<string> }
): Config => {
  const bindings = config.durable_objects?.bindings ?? []
  const bound = new Set(bindings.map((binding) => binding.class_name))
  const added = stateBindings.filter(
    (binding) => options.exports.includes(binding.class_name) && !bound.has(binding.class_name)
  )
  const migrations = config.migrations ?? []
  const migrated = migratedClasses(migrations)
  const unmigrated = added
    .map((binding) => binding.class_name)
    .filter((name) => !migrated.has(name))
  const { build: _build, ...rest } = config
  return {
    ...rest,
    main: options.main,
    no_bundle: true,
    ...(bindings.length + added.length === 0
      ? {}
      : { durable_objects: { ...config.durable_objects, bindings: [...bindings, ...added] } }),
    ...(unmigrated.length === 0
      ? {}
      : {
          migrations: [
            ...migrations,
            { tag: `workway-state-v${migrations.length + 1}`, new_sqlite_classes: unmigrated }
          ]
        })
  }
}

/** The bindings of a config, one line each, as `wrangler deploy` would create them. */
export const describeBindings = (config: Config): ReadonlyArray<string> => [
  ...(config.durable_objects?.bindings ?? []).map(
    (binding) => `Durable Object ${binding.name} (${binding.class_name})`
  ),
  ...(config.kv_namespaces ?? []).map((binding) => `KV namespace ${binding.binding}`),
  ...Object.keys(config.vars ?? {}).map((name) => `var ${name}`)
]

/** A config as TOML, headed by a comment saying where it came from. */
export const stringify = (config: Config, header: string): string =>
  `${header
    .split("\n")
    .map((line) => `# ${line}`)
    .join("\n")}\n${Toml.stringify(config)}\n`
