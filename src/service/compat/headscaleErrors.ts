/**
 * Headscale's error body, `rpcStatus` (`{ code, message, details }`, `code`
 * a gRPC code), one class per HTTP status grpc-gateway gives those codes, so
 * the HttpApi encoder picks the status from the value and OpenAPI lists them.
 */
import { Schema } from "effect"
import type { CompatFailure } from "./grpcStatus.js"
import { HeadscaleStatusFields } from "./headscaleShapes.js"

/** 400: InvalidArgument or FailedPrecondition. @category errors */
export class HeadscaleBadRequest extends Schema.Error<HeadscaleBadRequest>("HeadscaleBadRequest")(
  HeadscaleStatusFields,
  { httpApiStatus: 400 },
) {}

/** 404: NotFound. @category errors */
export class HeadscaleNotFound extends Schema.Error<HeadscaleNotFound>("HeadscaleNotFound")(
  HeadscaleStatusFields,
  { httpApiStatus: 404 },
) {}

/** 409: Aborted (a write conflict that retries did not resolve). @category errors */
export class HeadscaleConflict extends Schema.Error<HeadscaleConflict>("HeadscaleConflict")(
  HeadscaleStatusFields,
  { httpApiStatus: 409 },
) {}

/** 500: Internal. @category errors */
export class HeadscaleInternal extends Schema.Error<HeadscaleInternal>("HeadscaleInternal")(
  HeadscaleStatusFields,
  { httpApiStatus: 500 },
) {}

/** 503: Unavailable (the store or the manager). @category errors */
export class HeadscaleUnavailable extends Schema.Error<HeadscaleUnavailable>("HeadscaleUnavailable")(
  HeadscaleStatusFields,
  { httpApiStatus: 503 },
) {}

/** Every error a Headscale endpoint answers with. @category models */
export const headscaleErrors = [
  HeadscaleBadRequest,
  HeadscaleNotFound,
  HeadscaleConflict,
  HeadscaleInternal,
  HeadscaleUnavailable,
] as const

/** @category models */
export type HeadscaleError = InstanceType<(typeof headscaleErrors)[number]>

/** The body for a failure, of the class its status calls for. @category constructors */
export const toHeadscaleError = (f: CompatFailure): HeadscaleError => {
  const body = { code: f.grpcCode, message: f.message, details: [] }
  switch (f.status) {
    case 404:
      return new HeadscaleNotFound(body)
    case 409:
      return new HeadscaleConflict(body)
    case 503:
      return new HeadscaleUnavailable(body)
    case 500:
      return new HeadscaleInternal(body)
    default:
      return new HeadscaleBadRequest(body)
  }
}
