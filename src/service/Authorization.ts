/**
 * The bearer-key middleware every group but the operational one carries:
 * `Authorization: Bearer <key>`. Its implementation (`authLayer.ts`) checks
 * the key against the `ApiKeyStore`; a missing, unknown or expired key is a
 * 401 problem, never a 500.
 */
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import { Unauthorized, Unavailable } from "./problem.js"

/** @category services */
export class Authorization extends HttpApiMiddleware.Service<Authorization>()(
  "tailnet-routes/service/Authorization",
  { security: { bearer: HttpApiSecurity.bearer }, error: [Unauthorized, Unavailable] },
) {}
