/**
 * The HTTP API of `tailnet-routes serve`, composed from groups: one file per
 * group under `api/`, its handlers under `handlers/`. The same Schemas
 * validate requests and make `/openapi.json`.
 *
 * Adding a group: define it in its own file (carry `.middleware(Authorization)`
 * unless it must be reachable without a key), `.add(...)` it below, and add
 * its `HttpApiBuilder.group(ServiceApi, "<name>", ...)` layer to
 * `groupHandlers` in `ServiceLayer.ts`. A route outside HttpApi (a static
 * page) goes into `extraRoutes` there.
 */
import { HttpApi, OpenApi } from "effect/http-api"
import { ChangesGroup } from "./api/ChangesGroup.js"
import { InsightGroup } from "./api/InsightGroup.js"
import { NodesGroup } from "./api/NodesGroup.js"
import { OpsGroup } from "./api/OpsGroup.js"
import { PolicyGroup } from "./api/PolicyGroup.js"
import { RoutesGroup } from "./api/RoutesGroup.js"
import { HeadscaleGroup } from "./compat/HeadscaleGroup.js"
import { TailscaleGroup } from "./compat/TailscaleGroup.js"
import { DashboardGroup } from "./dashboard/DashboardGroup.js"

/** @category models */
export class ServiceApi extends HttpApi.make("tailnet-routes")
  .add(OpsGroup)
  .add(RoutesGroup)
  .add(NodesGroup)
  .add(InsightGroup)
  .add(PolicyGroup)
  .add(ChangesGroup)
  .add(DashboardGroup)
  .add(HeadscaleGroup)
  .add(TailscaleGroup)
  .annotateMerge(
    OpenApi.annotations({
      title: "tailnet-routes",
      description: "Subnet routes of a tailnet: nodes, routes, approvals, primaries, policy, change stream.",
    }),
  ) {}
