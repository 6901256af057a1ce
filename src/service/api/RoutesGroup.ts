/** `/v1/routes`: list (by node, by prefix), enable, disable, delete. */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { RouteIdSchema } from "../../domain/inputRules.js"
import { ChangeJsonSchema, RouteJsonSchema } from "../../facade/jsonSchemas.js"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"

/** A route row as the dialect writes it (prefix as text). @category models */
export const RouteJson = Schema.toEncoded(RouteJsonSchema)
/** A committed change set as the dialect writes it. @category models */
export const ChangeJson = Schema.toEncoded(ChangeJsonSchema)

const byId = { params: { id: RouteIdSchema }, success: ChangeJson, error: commandProblems }

/** @category models */
export class RoutesGroup extends HttpApiGroup.make("routes")
  .add(
    HttpApiEndpoint.get("list", "/v1/routes", {
      query: { node: Schema.optional(Schema.String), prefix: Schema.optional(Schema.String) },
      success: Schema.Array(RouteJson),
      error: commandProblems,
    }),
    HttpApiEndpoint.post("enable", "/v1/routes/:id/enable", byId),
    HttpApiEndpoint.post("disable", "/v1/routes/:id/disable", byId),
    HttpApiEndpoint.delete("remove", "/v1/routes/:id", byId),
  )
  .middleware(Authorization) {}
