/** `GET /v1/policy` and `PUT /v1/policy` (`?dryRun=true` previews and writes nothing). */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { PolicyJsonSchema, PrimaryChangeJsonSchema } from "../../facade/jsonSchemas.js"
import { Authorization } from "../Authorization.js"
import { commandProblems } from "../problem.js"
import { ChangeJson } from "./RoutesGroup.js"

const Approval = Schema.Struct({ routeId: Schema.Int, nodeId: Schema.String, prefix: Schema.String })

/** What a policy would do, as `policy set --dry-run --json` prints it. @category models */
export const PolicyPreviewJson = Schema.Struct({
  dryRun: Schema.Literal(true),
  granted: Schema.Array(Approval),
  revoked: Schema.Array(Approval),
  primaries: Schema.Array(PrimaryChangeJsonSchema),
  changes: ChangeJson,
}).annotate({ identifier: "PolicyPreview" })

/** @category models */
export class PolicyGroup extends HttpApiGroup.make("policy")
  .add(
    HttpApiEndpoint.get("get", "/v1/policy", { success: PolicyJsonSchema, error: commandProblems }),
    HttpApiEndpoint.put("set", "/v1/policy", {
      query: { dryRun: Schema.optional(Schema.Literals(["true", "false"])) },
      payload: PolicyJsonSchema,
      success: [ChangeJson, PolicyPreviewJson],
      error: commandProblems,
    }),
  )
  .middleware(Authorization) {}
