/**
 * A request a compatibility endpoint cannot decode (a body that is not JSON,
 * `routes` that is not a list of strings) answers in the dialect's error
 * body instead of an empty 400: Headscale's `rpcStatus` with code
 * InvalidArgument, Tailscale's `{ message }`. Nothing runs. A response that
 * fails to encode is our bug: a 500 in the same body.
 */
import { Effect } from "effect"
import { type HttpApiError, HttpApiMiddleware } from "effect/http-api"
import { GrpcCode } from "./grpcStatus.js"
import { HeadscaleBadRequest, HeadscaleInternal } from "./headscaleErrors.js"
import { TailscaleBadRequest, TailscaleInternal } from "./tailscaleErrors.js"

const isOurs = (e: HttpApiError.HttpApiSchemaError): boolean =>
  e.kind === "Body" || e.kind === "ResponseHeaders"

const describe = (e: HttpApiError.HttpApiSchemaError): string =>
  `invalid request ${e.kind.toLowerCase()}: ${e.cause.message.replace(/\s*\n\s*/g, " ")}`

/** Decoding failures of the Headscale endpoints. @category services */
export class HeadscaleRequestErrors extends HttpApiMiddleware.Service<HeadscaleRequestErrors>()(
  "tailnet-routes/service/HeadscaleRequestErrors",
  { error: [HeadscaleBadRequest, HeadscaleInternal] },
) {}

/** @category layers */
export const headscaleRequestErrorsLayer = HttpApiMiddleware.layerSchemaErrorTransform(
  HeadscaleRequestErrors,
  (e) =>
    Effect.fail(
      isOurs(e)
        ? new HeadscaleInternal({ code: GrpcCode.Internal, message: "internal error", details: [] })
        : new HeadscaleBadRequest({ code: GrpcCode.InvalidArgument, message: describe(e), details: [] }),
    ),
)

/** Decoding failures of the Tailscale endpoints. @category services */
export class TailscaleRequestErrors extends HttpApiMiddleware.Service<TailscaleRequestErrors>()(
  "tailnet-routes/service/TailscaleRequestErrors",
  { error: [TailscaleBadRequest, TailscaleInternal] },
) {}

/** @category layers */
export const tailscaleRequestErrorsLayer = HttpApiMiddleware.layerSchemaErrorTransform(
  TailscaleRequestErrors,
  (e) =>
    Effect.fail(
      isOurs(e)
        ? new TailscaleInternal({ message: "internal error", code: "INTERNAL" })
        : new TailscaleBadRequest({ message: describe(e), code: "INVALID_INPUT" }),
    ),
)
