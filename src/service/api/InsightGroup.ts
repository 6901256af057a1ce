/** Read-only analysis: `GET /v1/explain?prefix=…` and `GET /v1/overlaps`. */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { ExplanationJsonSchema, OverlapsJsonSchema } from "../../facade/jsonSchemas.js"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"

/** @category models */
export class InsightGroup extends HttpApiGroup.make("insight")
  .add(
    HttpApiEndpoint.get("explain", "/v1/explain", {
      query: { prefix: Schema.String },
      success: Schema.toEncoded(ExplanationJsonSchema),
      error: commandProblems,
    }),
    HttpApiEndpoint.get("overlaps", "/v1/overlaps", {
      success: Schema.toEncoded(OverlapsJsonSchema),
      error: commandProblems,
    }),
  )
  .middleware(Authorization) {}
