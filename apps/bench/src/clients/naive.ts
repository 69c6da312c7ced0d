import type { Pattern } from "./Pattern"
import { succeeds } from "./Pattern"

/** A sequential loop of awaits: no pacing, no retry; a failure is counted and the loop goes on. */
export const make = (): Pattern => ({
  all: async (tasks) => {
    const outcomes: Array<boolean> = []
    for (const task of tasks) outcomes.push(await succeeds(task))
    return outcomes
  },
  one: (task) => task()
})
