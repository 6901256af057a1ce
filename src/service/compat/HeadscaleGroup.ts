/**
 * Headscale's routes API, so its CLI, web UIs and Terraform providers work
 * unchanged: the ≤ 0.25 route calls (list, per node, enable, disable,
 * delete by route id) and the ≥ 0.26 node calls (`GET /api/v1/node`,
 * `GET /api/v1/node/{id}`, `POST /api/v1/node/{id}/approve_routes`). Same
 * keys as the native API.
 */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Authorization } from "../Authorization.js"
import { headscaleErrors } from "./headscaleErrors.js"
import { HeadscaleNode, HeadscaleRoute } from "./headscaleShapes.js"
import { HeadscaleRequestErrors } from "./requestErrors.js"

const Routes = Schema.Struct({ routes: Schema.Array(HeadscaleRoute) })
const NodeResponse = Schema.Struct({ node: HeadscaleNode })
const NodesResponse = Schema.Struct({ nodes: Schema.Array(HeadscaleNode) })
const Empty = Schema.Struct({})
const byRoute = { params: { routeId: Schema.String }, success: Empty, error: headscaleErrors }

/** @category models */
export class HeadscaleGroup extends HttpApiGroup.make("headscale")
  .add(
    HttpApiEndpoint.get("listRoutes", "/api/v1/routes", { success: Routes, error: headscaleErrors }),
    HttpApiEndpoint.get("nodeRoutes", "/api/v1/node/:nodeId/routes", {
      params: { nodeId: Schema.String },
      success: Routes,
      error: headscaleErrors,
    }),
    HttpApiEndpoint.post("enableRoute", "/api/v1/routes/:routeId/enable", byRoute),
    HttpApiEndpoint.post("disableRoute", "/api/v1/routes/:routeId/disable", byRoute),
    HttpApiEndpoint.delete("deleteRoute", "/api/v1/routes/:routeId", byRoute),
    HttpApiEndpoint.get("listNodes", "/api/v1/node", { success: NodesResponse, error: headscaleErrors }),
    HttpApiEndpoint.get("getNode", "/api/v1/node/:nodeId", {
      params: { nodeId: Schema.String },
      success: NodeResponse,
      error: headscaleErrors,
    }),
    HttpApiEndpoint.post("approveRoutes", "/api/v1/node/:nodeId/approve_routes", {
      params: { nodeId: Schema.String },
      // proto3: an absent list is the empty list (approve nothing).
      payload: Schema.Struct({ routes: Schema.optional(Schema.Array(Schema.String)) }),
      success: NodeResponse,
      error: headscaleErrors,
    }),
  )
  .middleware(HeadscaleRequestErrors)
  .middleware(Authorization) {}
