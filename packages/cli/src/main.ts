import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import * as DevCommand from "./DevCommand"

const workway = Command.make("workway").pipe(
  Command.withDescription("Build, run and serve workway workflows"),
  Command.withSubcommands([DevCommand.command])
)

const cli = Command.run(workway, { name: "workway", version: "0.1.0" })

cli(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
