/**
 * Errors the way Headscale's API gateway writes them: a gRPC status code, the
 * HTTP status grpc-gateway derives from it, and a message. Our typed errors
 * map onto the code that says the same thing (an unknown route is NotFound,
 * enabling a route its node does not advertise is FailedPrecondition), via
 * the JSON dialect's stable codes so every face agrees on the meaning.
 */
import { type ErrorCode, type TailnetRoutesError, toFacadeError } from "../../facade/errors.js"

/** The gRPC codes this service answers with (google.rpc.Code). @category models */
export const GrpcCode = {
  InvalidArgument: 3,
  NotFound: 5,
  FailedPrecondition: 9,
  Aborted: 10,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const

/** @category models */
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode]

/** A failure as a compatibility endpoint reports it. @category models */
export interface CompatFailure {
  /** The HTTP status (grpc-gateway's mapping of `grpcCode`). */
  readonly status: 400 | 401 | 404 | 409 | 500 | 503
  readonly grpcCode: GrpcCode
  /** The JSON dialect's stable code (`UNKNOWN_ROUTE`, `INVALID_PREFIX`, …). */
  readonly code: string
  /** Names the bad input. */
  readonly message: string
}

const httpStatusOf: Record<GrpcCode, CompatFailure["status"]> = {
  3: 400,
  5: 404,
  9: 400,
  10: 409,
  13: 500,
  14: 503,
  16: 401,
}

// Keyed by every dialect code: a code added to the dialect and not here does not compile.
const grpcCodeOf: Record<ErrorCode, GrpcCode> = {
  UNKNOWN_NODE: GrpcCode.NotFound,
  NODE_DELETED: GrpcCode.NotFound,
  UNKNOWN_ROUTE: GrpcCode.NotFound,
  NO_SUCH_ROUTE: GrpcCode.NotFound,
  INVALID_PREFIX: GrpcCode.InvalidArgument,
  INVALID_INPUT: GrpcCode.InvalidArgument,
  INVALID_PRIORITY: GrpcCode.InvalidArgument,
  INVALID_POLICY: GrpcCode.InvalidArgument,
  ROUTE_NOT_ADVERTISED: GrpcCode.FailedPrecondition,
  HALF_EXIT_PAIR: GrpcCode.FailedPrecondition,
  NOT_EPHEMERAL: GrpcCode.FailedPrecondition,
  WRITE_CONFLICT: GrpcCode.Aborted,
  CONSTRAINT_VIOLATION: GrpcCode.Aborted,
  STORAGE: GrpcCode.Unavailable,
  MANAGER_CLOSED: GrpcCode.Unavailable,
  SCHEMA_TOO_NEW: GrpcCode.Internal,
  FOREIGN_STORE: GrpcCode.Internal,
}

/** A failure with this gRPC code; `code` is the dialect's or a service code. @category constructors */
export const compatFailure = (grpcCode: GrpcCode, code: string, message: string): CompatFailure => ({
  status: httpStatusOf[grpcCode],
  grpcCode,
  code,
  message,
})

/**
 * The failure for a typed error of the Effect API. Anything else is an
 * internal error whose message says nothing of the server's insides.
 *
 * @category constructors
 */
export const toCompatFailure = (e: unknown): CompatFailure => {
  const mapped = toFacadeError(e)
  if (!(mapped instanceof Error) || !("code" in mapped)) {
    return compatFailure(GrpcCode.Internal, "INTERNAL", "internal error")
  }
  const { code, message } = mapped as TailnetRoutesError
  return compatFailure(grpcCodeOf[code] ?? GrpcCode.Internal, code, message)
}
