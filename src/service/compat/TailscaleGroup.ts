/**
 * Tailscale API v2's device routes, for scripts and providers written
 * against it: `GET /api/v2/device/{id}/routes` gives what the device
 * advertises and what is enabled; `POST` replaces the enabled set. The
 * device id is the node id. Same keys as the native API, as a Bearer token.
 */

import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Authorization } from "../Authorization.js"
import { TailscaleRequestErrors } from "./requestErrors.js"
import { tailscaleErrors } from "./tailscaleErrors.js"
import { TailscaleDeviceRoutes, TailscaleSetRoutes } from "./tailscaleShapes.js"

const params = { id: Schema.String }

/** @category models */
export class TailscaleGroup extends HttpApiGroup.make("tailscale")
  .add(
    HttpApiEndpoint.get("deviceRoutes", "/api/v2/device/:id/routes", {
      params,
      success: TailscaleDeviceRoutes,
      error: tailscaleErrors,
    }),
    HttpApiEndpoint.post("setDeviceRoutes", "/api/v2/device/:id/routes", {
      params,
      payload: TailscaleSetRoutes,
      success: TailscaleDeviceRoutes,
      error: tailscaleErrors,
    }),
  )
  .middleware(TailscaleRequestErrors)
  .middleware(Authorization) {}
