import { Cause, Clock, Deferred, Duration, Effect, Exit, Option, type Redacted, Ref } from "effect"

/** An access token and the moment its holders should stop using it. */
export interface AccessToken {
  readonly value: Redacted.Redacted<string>
  /** Milliseconds on the Effect clock after which the token is fetched again. */
  readonly refreshAt: number
}

/** What a token endpoint answered. */
export interface Grant {
  readonly value: Redacted.Redacted<string>
  readonly expiresIn: Duration.Duration
}

/** An access token shared by every caller, fetched again shortly before it expires. */
export interface TokenCache<E> {
  /** The current token, fetching one if none is usable. */
  readonly get: Effect.Effect<AccessToken, E>
  /** Drops the token after the vendor refused it, unless it was already replaced. */
  readonly invalidate: (token: AccessToken) => Effect.Effect<void>
}

type State<E> =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Ready"; readonly token: AccessToken }
  /** A fetch in flight; `None` tells waiters the fetching fiber was interrupted. */
  | { readonly _tag: "Fetching"; readonly done: Deferred.Deferred<Option.Option<AccessToken>, E> }

/** What a caller does next: use the cached token, wait for the fetch in flight, or fetch. */
type Next<E> =
  | { readonly _tag: "Use"; readonly token: AccessToken }
  | { readonly _tag: "Await"; readonly done: Deferred.Deferred<Option.Option<AccessToken>, E> }
  | { readonly _tag: "Fetch" }

/**
 * A cache around a token endpoint. Callers that need a token while none is usable share one
 * fetch: the first starts it, the others wait for its outcome, a failure included. A token is
 * used until `margin` before it expires.
 */
export const make = <E>(options: {
  readonly fetch: Effect.Effect<Grant, E>
  readonly margin: Duration.DurationInput
}): Effect.Effect<TokenCache<E>> =>
  Effect.gen(function* () {
    const margin = Duration.toMillis(Duration.decode(options.margin))
    const state = yield* Ref.make<State<E>>({ _tag: "Empty" })

    const settle = (
      done: Deferred.Deferred<Option.Option<AccessToken>, E>,
      exit: Exit.Exit<AccessToken, E>
    ) => {
      if (Exit.isSuccess(exit)) {
        return Ref.set(state, { _tag: "Ready", token: exit.value }).pipe(
          Effect.zipRight(Deferred.succeed(done, Option.some(exit.value)))
        )
      }
      const next = Ref.set(state, { _tag: "Empty" })
      return Cause.isInterruptedOnly(exit.cause)
        ? Effect.zipRight(next, Deferred.succeed(done, Option.none()))
        : Effect.zipRight(next, Deferred.failCause(done, exit.cause))
    }

    const fetchInto = (done: Deferred.Deferred<Option.Option<AccessToken>, E>) =>
      Effect.uninterruptibleMask((restore) =>
        restore(
          Effect.flatMap(options.fetch, (grant) =>
            Effect.map(Clock.currentTimeMillis, (now) => ({
              value: grant.value,
              refreshAt: now + Math.max(0, Duration.toMillis(grant.expiresIn) - margin)
            }))
          )
        ).pipe(Effect.onExit((exit) => settle(done, exit)))
      )

    const get: Effect.Effect<AccessToken, E> = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const mine = yield* Deferred.make<Option.Option<AccessToken>, E>()
      const next = yield* Ref.modify(state, (s): readonly [Next<E>, State<E>] => {
        if (s._tag === "Ready" && now < s.token.refreshAt)
          return [{ _tag: "Use", token: s.token }, s]
        if (s._tag === "Fetching") return [{ _tag: "Await", done: s.done }, s]
        return [{ _tag: "Fetch" }, { _tag: "Fetching", done: mine }]
      })
      switch (next._tag) {
        case "Use":
          return next.token
        case "Fetch":
          return yield* fetchInto(mine)
        case "Await": {
          const outcome = yield* Deferred.await(next.done)
          return Option.isSome(outcome) ? outcome.value : yield* get
        }
      }
    })

    const invalidate = (token: AccessToken) =>
      Ref.update(
        state,
        (s): State<E> => (s._tag === "Ready" && s.token === token ? { _tag: "Empty" } : s)
      )

    return { get, invalidate }
  })
