// Our typed errors as Headscale's gateway reports them: the gRPC code that
// means the same thing, and the HTTP status grpc-gateway gives that code.
import { describe, expect, it } from "vitest"
import {
  halfExitPair,
  InvalidInput,
  nodeDeleted,
  noSuchRoute,
  parsePrefixInput,
  routeNotAdvertised,
  unknownNode,
  unknownRoute,
} from "../../../src/domain/errors.js"
import { StorageError, WriteConflict } from "../../../src/ports/RouteRepository.js"
import { toCompatFailure } from "../../../src/service/compat/grpcStatus.js"

const badPrefix = parsePrefixInput("10.0.0.1/24")

describe("toCompatFailure", () => {
  it.each([
    [unknownRoute(9), 404, 5, "UNKNOWN_ROUTE", "unknown route 9"],
    [unknownNode("7"), 404, 5, "UNKNOWN_NODE", "unknown node 7"],
    [nodeDeleted("7"), 404, 5, "NODE_DELETED", "node 7 is deleted"],
    [noSuchRoute("7", "10.0.0.0/24"), 404, 5, "NO_SUCH_ROUTE", "node 7 has no route 10.0.0.0/24"],
    [
      badPrefix._tag === "Failure" ? badPrefix.failure : null,
      400,
      3,
      "INVALID_PREFIX",
      "10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24",
    ],
    [
      new InvalidInput({ field: "nodeId", value: "", message: "nodeId: empty" }),
      400,
      3,
      "INVALID_INPUT",
      "nodeId: empty",
    ],
    [
      routeNotAdvertised(3, "7", "10.0.0.0/24"),
      400,
      9,
      "ROUTE_NOT_ADVERTISED",
      "route 3 (10.0.0.0/24 on 7) is not advertised",
    ],
    [
      halfExitPair("7", "::/0"),
      400,
      9,
      "HALF_EXIT_PAIR",
      "node 7 does not advertise ::/0; exit routes are enabled as a pair",
    ],
    [new WriteConflict({ table: "routes", id: 3, reason: "stale" }), 409, 10, "WRITE_CONFLICT", undefined],
    [
      new StorageError({ message: "disk full", cause: null }),
      503,
      14,
      "STORAGE",
      "storage failed: disk full",
    ],
    [new Error("boom"), 500, 13, "INTERNAL", "internal error"],
  ])("%o", (error, status, grpcCode, code, message) => {
    const f = toCompatFailure(error)
    expect({ status: f.status, grpcCode: f.grpcCode, code: f.code }).toEqual({ status, grpcCode, code })
    if (message !== undefined) expect(f.message).toBe(message)
  })
})
