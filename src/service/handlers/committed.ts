/** What a command endpoint answers: the committed change set as JSON, or the failure as a problem. */
import { Effect } from "effect"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import { changeToJson } from "../../facade/toJson.js"
import { toProblem } from "../problem.js"

/** @category combinators */
export const committed = <E>(command: Effect.Effect<ChangeSet, E>) =>
  Effect.mapBoth(command, { onFailure: toProblem, onSuccess: changeToJson })
