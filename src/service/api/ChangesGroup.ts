/**
 * `GET /v1/changes`: Server-Sent Events, one `change` event per committed
 * change set with the tailnet version as its id; `Last-Event-ID` (or
 * `?after=`) resumes from the change log; a `reload` event tells a client
 * behind the log's retention to reload; comments keep the connection alive.
 */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema } from "effect/http-api"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"

const Event = Schema.Struct({
  id: Schema.optional(Schema.String),
  event: Schema.Literals(["change", "reload"]),
  data: Schema.String.annotate({ description: "change: the Change JSON with version, origin, committedAt" }),
})

/** @category models */
export class ChangesGroup extends HttpApiGroup.make("changes")
  .add(
    HttpApiEndpoint.get("stream", "/v1/changes", {
      headers: { "last-event-id": Schema.optional(Schema.String) },
      query: { after: Schema.optional(Schema.String) },
      success: HttpApiSchema.StreamSse({ events: Event }),
      error: commandProblems,
    }),
  )
  .middleware(Authorization) {}
