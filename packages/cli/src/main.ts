import { Command, ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Cause, Console, Effect, Option } from "effect"
import * as BuildCommand from "./BuildCommand"
import * as DevCommand from "./DevCommand"
import * as InitCommand from "./InitCommand"
import * as RunCommand from "./RunCommand"

const workway = Command.make("workway").pipe(
  Command.withDescription("Create, run, serve, build and deploy workway workflows"),
  Command.withSubcommands([
    InitCommand.command,
    DevCommand.command,
    RunCommand.command,
    BuildCommand.build,
    BuildCommand.deploy
  ])
)

const cli = Command.run(workway, { name: "workway", version: "0.1.0" })

/**
 * Says on stderr why a command failed: the message of an expected failure alone, the full cause
 * of anything unexpected. Argument errors were already printed with the command's usage.
 */
const report = (cause: Cause.Cause<unknown>) => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (ValidationError.isValidationError(error)) return Effect.void
    if (typeof error === "object" && error !== null && "message" in error) {
      return Console.error(`error: ${String(error.message)}`)
    }
  }
  if (Cause.isInterruptedOnly(cause)) return Effect.void
  return Console.error(Cause.pretty(cause))
}

cli(process.argv).pipe(
  Effect.tapErrorCause(report),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
