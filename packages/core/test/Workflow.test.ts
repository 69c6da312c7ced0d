import { describe, expect, it } from "@effect/vitest"
import { Data, Effect, Fiber, Request, RequestResolver, Schema, TestClock } from "effect"
import { InvalidPayload } from "../src/Errors"
import * as RunReport from "../src/RunReport"
import * as Trigger from "../src/Trigger"
import * as Workflow from "../src/Workflow"

const MeetingEnded = Schema.Struct({
  event: Schema.Literal("meeting.ended"),
  payload: Schema.Struct({
    object: Schema.Struct({ id: Schema.String, topic: Schema.String })
  })
})

const Inputs = Schema.Struct({ databaseId: Schema.String })

const meetingNotes = <A, E>(
  run: (
    context: Workflow.RunContext<typeof MeetingEnded.Type, typeof Inputs.Type>
  ) => Effect.Effect<A, E>
) =>
  Workflow.make({
    name: "meeting-notes",
    version: "1.2.0",
    trigger: Trigger.webhook({ service: "zoom", event: "meeting.ended", payload: MeetingEnded }),
    inputs: Inputs,
    run
  })

const ended = { event: "meeting.ended", payload: { object: { id: "m-1", topic: "Standup" } } }

class RunFailed extends Data.TaggedError("RunFailed")<{ readonly why: string }> {}

describe("Workflow.execute", () => {
  it.effect("a trigger payload that does not match fails with the path of each bad field", () =>
    Effect.gen(function* () {
      const workflow = meetingNotes(() => Effect.succeed("unreachable"))

      const error = yield* Effect.flip(
        Workflow.execute(workflow, {
          trigger: { event: "meeting.ended", payload: { object: { id: 42 } } },
          inputs: { databaseId: "db" }
        })
      )

      expect(error).toBeInstanceOf(InvalidPayload)
      expect(error.message).toMatch(/^The trigger payload .*match the workflow's schema$/)
      expect(error.issues.map((issue) => issue.path)).toEqual([
        "$.payload.object.id",
        "$.payload.object.topic"
      ])
    })
  )

  it.effect("inputs that do not match fail the same way, before the run starts", () =>
    Effect.gen(function* () {
      let started = false
      const workflow = meetingNotes(() => Effect.sync(() => (started = true)))

      const error = yield* Effect.flip(
        Workflow.execute(workflow, { trigger: ended, inputs: { databaseId: 7 } })
      )

      expect(error.message).toMatch(/^The workflow inputs .*match the workflow's schema$/)
      expect(error.issues).toEqual([{ path: "$.databaseId", message: expect.any(String) }])
      expect(started).toBe(false)
    })
  )

  it.effect("runs with the decoded trigger and inputs and returns the result with its report", () =>
    Effect.gen(function* () {
      const workflow = meetingNotes(({ trigger, inputs }) =>
        Effect.succeed(`${trigger.payload.object.topic} -> ${inputs.databaseId}`)
      )

      const execution = yield* Workflow.execute(workflow, {
        trigger: { ...ended, extra: "ignored" },
        inputs: { databaseId: "db-1" },
        runId: "run-1"
      })

      expect(execution.success).toBe(true)
      expect(execution.success && execution.result).toBe("Standup -> db-1")
      expect(execution.report).toMatchObject({
        workflow: "meeting-notes",
        version: "1.2.0",
        runId: "run-1"
      })
    })
  )

  it.effect("a typed failure of the run comes back with the report", () =>
    Effect.gen(function* () {
      const workflow = meetingNotes(() => Effect.fail(new RunFailed({ why: "no transcript" })))

      const execution = yield* Workflow.execute(workflow, {
        trigger: ended,
        inputs: { databaseId: "db" }
      })

      expect(execution.success).toBe(false)
      expect(!execution.success && execution.error).toEqual(new RunFailed({ why: "no transcript" }))
      expect(execution.report.workflow).toBe("meeting-notes")
    })
  )

  it.effect("each step is recorded with its start, duration and outcome", () =>
    Effect.gen(function* () {
      const workflow = meetingNotes(() =>
        Effect.gen(function* () {
          yield* Effect.sleep("2 seconds").pipe(RunReport.step("transcript"))
          yield* Effect.sleep("500 millis").pipe(
            Effect.zipRight(Effect.fail(new RunFailed({ why: "summary too long" }))),
            RunReport.step("summarize")
          )
        })
      )

      const fiber = yield* Effect.fork(
        Workflow.execute(workflow, { trigger: ended, inputs: { databaseId: "db" } })
      )
      yield* TestClock.adjust("3 seconds")
      const execution = yield* Fiber.join(fiber)

      expect(execution.report.steps).toEqual([
        { name: "transcript", startMs: 0, durationMs: 2000, outcome: "ok" },
        { name: "summarize", startMs: 2000, durationMs: 500, outcome: "error" }
      ])
      expect(execution.report.wallMs).toBe(2500)
    })
  )

  it.effect("identical requests within one run are resolved once; a new run resolves again", () =>
    Effect.gen(function* () {
      interface GetUser extends Request.Request<string> {
        readonly _tag: "GetUser"
        readonly id: string
      }
      const GetUser = Request.tagged<GetUser>("GetUser")
      const resolved: Array<string> = []
      const users = RequestResolver.fromEffect((request: GetUser) =>
        Effect.sync(() => {
          resolved.push(request.id)
          return `user ${request.id}`
        })
      )
      const workflow = meetingNotes(() =>
        Effect.gen(function* () {
          const first = yield* Effect.request(GetUser({ id: "u1" }), users)
          const second = yield* Effect.request(GetUser({ id: "u1" }), users)
          return [first, second]
        })
      )
      const input = { trigger: ended, inputs: { databaseId: "db" } }

      const execution = yield* Workflow.execute(workflow, input)
      yield* Workflow.execute(workflow, input)

      expect(execution.success && execution.result).toEqual(["user u1", "user u1"])
      expect(resolved).toEqual(["u1", "u1"])
    })
  )
})
