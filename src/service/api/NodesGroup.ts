/** `/v1/nodes`: list, read, upsert, delete, connect, disconnect, advertise. */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { NameSchema, PrefixListSchema, TagsSchema, TimeSchema } from "../../domain/inputRules.js"
import { NodeJsonSchema } from "../../facade/jsonSchemas.js"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"
import { ChangeJson, RouteJson } from "./RoutesGroup.js"

/** The body of `PUT /v1/nodes/{id}`: the node input without its id (the path has it). @category models */
export const NodeBody = Schema.Struct({
  user: NameSchema,
  tags: Schema.optionalKey(TagsSchema),
  ephemeral: Schema.optionalKey(Schema.Boolean),
  expiresAt: Schema.optionalKey(Schema.NullOr(TimeSchema)),
}).annotate({ identifier: "NodeBody" })

/** The body of `POST /v1/nodes/{id}/advertise`: the node's whole advertised set. @category models */
export const AdvertiseBody = Schema.Struct({ routes: PrefixListSchema }).annotate({
  identifier: "AdvertiseBody",
})

/** A node and its live routes. @category models */
export const NodeDetail = Schema.Struct({ node: NodeJsonSchema, routes: Schema.Array(RouteJson) }).annotate({
  identifier: "NodeDetail",
})

const params = { id: NameSchema }
const command = { params, success: ChangeJson, error: commandProblems }

/** @category models */
export class NodesGroup extends HttpApiGroup.make("nodes")
  .add(
    HttpApiEndpoint.get("list", "/v1/nodes", {
      success: Schema.Array(NodeJsonSchema),
      error: commandProblems,
    }),
    HttpApiEndpoint.get("get", "/v1/nodes/:id", { params, success: NodeDetail, error: commandProblems }),
    HttpApiEndpoint.put("upsert", "/v1/nodes/:id", { ...command, payload: NodeBody }),
    HttpApiEndpoint.delete("remove", "/v1/nodes/:id", command),
    HttpApiEndpoint.post("connect", "/v1/nodes/:id/connect", command),
    HttpApiEndpoint.post("disconnect", "/v1/nodes/:id/disconnect", command),
    HttpApiEndpoint.post("advertise", "/v1/nodes/:id/advertise", { ...command, payload: AdvertiseBody }),
  )
  .middleware(Authorization) {}
