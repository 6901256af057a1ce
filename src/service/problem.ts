/**
 * Errors on the wire: RFC 9457 problem bodies (`application/problem+json`)
 * that are the JSON dialect's error (`{ code, message, ...fields naming the
 * input }`, as `toJSON` of a facade error and the CLI's `--json` print it)
 * plus the RFC's `type`, `title`, `status` and `detail`. One schema per
 * status, its `status` a literal, so the HttpApi encoder picks the status
 * from the value and OpenAPI lists every status an endpoint can answer.
 */
import { Schema } from "effect"
import { HttpApiSchema } from "effect/http-api"
import { type ErrorCode, type TailnetRoutesError, toFacadeError } from "../facade/errors.js"

/** Codes only the service reports, beside the dialect's (`apiErrorCodes`). @category models */
export const serviceErrorCodes = [
  "UNAUTHORIZED",
  "NOT_FOUND",
  "PAYLOAD_TOO_LARGE",
  "REQUEST_TIMEOUT",
  "NOT_READY",
  "INTERNAL",
] as const

/** The media type of every error body. @category models */
export const problemContentType = "application/problem+json"

const problemSchema = <S extends number>(status: S, title: string) =>
  Schema.StructWithRest(
    Schema.Struct({
      type: Schema.String.annotate({ description: "about:blank, or a URI naming the problem type" }),
      title: Schema.String,
      status: Schema.Literal(status),
      detail: Schema.String.annotate({ description: "What went wrong, naming the bad input (= message)." }),
      code: Schema.String.annotate({
        description: "Stable error code (the JSON dialect's, or a service code).",
      }),
      message: Schema.String,
    }),
    [Schema.Record(Schema.String, Schema.Unknown)],
  )
    .annotate({
      identifier: `Problem${status}`,
      description: `${title}: an RFC 9457 problem carrying the stable code and the fields naming the input.`,
      httpApiStatus: status,
    })
    .pipe(HttpApiSchema.asJson({ contentType: problemContentType }))

/** 400: the request or its input is invalid. @category models */
export const BadRequest = problemSchema(400, "Bad Request")
/** 401: no key, an unknown key or an expired key. @category models */
export const Unauthorized = problemSchema(401, "Unauthorized")
/** 404: no such node, route or path. @category models */
export const NotFound = problemSchema(404, "Not Found")
/** 409: the command does not apply to the current state. @category models */
export const Conflict = problemSchema(409, "Conflict")
/** 500: the store or the service failed in a way the client cannot fix. @category models */
export const InternalError = problemSchema(500, "Internal Server Error")
/** 503: the store is unreachable, the manager is closed or behind, or the request took too long. @category models */
export const Unavailable = problemSchema(503, "Service Unavailable")

/** Every problem an authenticated endpoint can answer with. @category models */
export const commandProblems = [
  BadRequest,
  Unauthorized,
  NotFound,
  Conflict,
  InternalError,
  Unavailable,
] as const

/** A problem body. @category models */
export type Problem = (typeof commandProblems)[number]["Type"]

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
}

// Keyed by every dialect code: a code added to the dialect and not here does not compile.
const statusOfCode: Record<ErrorCode, 400 | 404 | 409 | 500 | 503> = {
  UNKNOWN_NODE: 404,
  UNKNOWN_ROUTE: 404,
  NO_SUCH_ROUTE: 404,
  NODE_DELETED: 409,
  ROUTE_NOT_ADVERTISED: 409,
  HALF_EXIT_PAIR: 409,
  NOT_EPHEMERAL: 409,
  WRITE_CONFLICT: 409,
  INVALID_PREFIX: 400,
  INVALID_PRIORITY: 400,
  INVALID_POLICY: 400,
  INVALID_INPUT: 400,
  STORAGE: 503,
  MANAGER_CLOSED: 503,
  CONSTRAINT_VIOLATION: 500,
  SCHEMA_TOO_NEW: 500,
  FOREIGN_STORE: 500,
}

/**
 * A problem body with this status, code and detail; `fields` name the input.
 *
 * @category constructors
 */
export const problem = <S extends 400 | 401 | 404 | 409 | 413 | 500 | 503>(
  status: S,
  code: string,
  detail: string,
  fields: Readonly<Record<string, unknown>> = {},
): Problem & { readonly status: S } =>
  ({
    ...fields,
    type: "about:blank",
    title: titles[status] ?? "Error",
    status,
    detail,
    code,
    message: detail,
  }) as Problem & { readonly status: S }

/**
 * The problem for a typed failure of the Effect API (a transition, input,
 * policy or storage error): the facade's code and fields, the status its
 * code means. Anything else is an internal error whose detail says nothing
 * of the server's insides.
 *
 * @category constructors
 */
export const toProblem = (e: unknown): Problem => {
  const mapped = toFacadeError(e)
  if (!(mapped instanceof Error) || !("code" in mapped)) return problem(500, "INTERNAL", "internal error")
  const json = (mapped as TailnetRoutesError).toJSON()
  const { code, message, ...fields } = json
  return problem(statusOfCode[code] ?? 500, code, message, fields)
}
