import { BudgetExhausted } from "@workway/core"
import { Context, Effect } from "effect"

/** Limits of one Worker invocation: its subrequest budget and its simultaneous connections. */
export interface InvocationService {
  /** Counts one outbound request, or fails when it would exceed the budget. */
  readonly take: (service: string, call: string) => Effect.Effect<void, BudgetExhausted>
  /** Outbound requests made so far. */
  readonly used: Effect.Effect<number>
  /** The subrequest budget (Infinity when unbounded). */
  readonly limit: number
  /** Permits for simultaneous outbound connections. */
  readonly connections: Effect.Semaphore
  /**
   * The permits of one service within this invocation, made on first use.
   *
   * **Note**: permits are per invocation, not per isolate, because on Workers a fiber woken by
   * another request's release would run its I/O in that other request's context.
   */
  readonly permits: (service: string, concurrency: number) => Effect.Semaphore
  /**
   * Runs `effect` when no other fiber of this invocation is running one under the same `key`,
   * first come first served. The rate limiter reserves one call at a time per set of keys, each
   * just before its moment, so a throttle or a stall reaches the calls still waiting.
   */
  readonly inTurn: (
    key: string
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/** The current invocation's limits, provided per request by the Worker. */
export class Invocation extends Context.Tag("@workway/http/Invocation")<
  Invocation,
  InvocationService
>() {}

/** Options of an invocation. */
export interface InvocationOptions {
  /** Outbound requests allowed, retries included (Workers: 50 free, 1,000 to 10,000 paid). */
  readonly subrequests?: number
  /** Simultaneous outbound connections (Workers allows 6; more queue inside the runtime). */
  readonly connections?: number
}

/** Limits for a new invocation. */
export const make = (options: InvocationOptions = {}): Effect.Effect<InvocationService> =>
  Effect.sync(() => unsafeMake(options))

/** Limits for a new invocation, built outside Effect. */
export const unsafeMake = (options: InvocationOptions = {}): InvocationService => {
  const limit = options.subrequests ?? Number.POSITIVE_INFINITY
  let used = 0
  const services = new Map<string, Effect.Semaphore>()
  // A turn is dropped once nobody holds or waits for it, so keys seen once do not accumulate.
  const turns = new Map<string, { readonly lock: Effect.Semaphore; users: number }>()
  return {
    limit,
    used: Effect.sync(() => used),
    take: (service, call) =>
      Effect.suspend(() => {
        if (used + 1 > limit) return Effect.fail(new BudgetExhausted({ service, call, limit }))
        used += 1
        return Effect.void
      }),
    connections: Effect.unsafeMakeSemaphore(options.connections ?? 6),
    permits: (service, concurrency) => {
      const existing = services.get(service)
      if (existing !== undefined) return existing
      const made = Effect.unsafeMakeSemaphore(concurrency)
      services.set(service, made)
      return made
    },
    inTurn: (key) => (effect) =>
      // Counting a user in and attaching the count out happen together, so an interruption
      // between them cannot leave the turn in the map for ever.
      Effect.uninterruptibleMask((restore) => {
        let turn = turns.get(key)
        if (turn === undefined) {
          turn = { lock: Effect.unsafeMakeSemaphore(1), users: 0 }
          turns.set(key, turn)
        }
        const entered = turn
        entered.users += 1
        return Effect.ensuring(
          restore(entered.lock.withPermits(1)(effect)),
          Effect.sync(() => {
            entered.users -= 1
            if (entered.users === 0 && turns.get(key) === entered) turns.delete(key)
          })
        )
      })
  }
}

/** Limits used when no invocation is provided: no budget, the Workers connection cap. */
export const ambient: InvocationService = unsafeMake()

/** The invocation of the current fiber, or the ambient one. */
export const current: Effect.Effect<InvocationService> = Effect.contextWith((context) =>
  Context.getOrElse(context, Invocation, () => ambient)
)
