/** A legacy route id from the path: Headscale's uint64, which is our route id. */
import { Result } from "effect"
import { type CompatFailure, compatFailure, GrpcCode } from "./grpcStatus.js"

/** Decimal digits within the safe integers; anything else is InvalidArgument naming it. @category constructors */
export const parseRouteIdParam = (text: string): Result.Result<number, CompatFailure> =>
  /^[0-9]{1,16}$/.test(text) && Number(text) <= Number.MAX_SAFE_INTEGER
    ? Result.succeed(Number(text))
    : Result.fail(
        compatFailure(
          GrpcCode.InvalidArgument,
          "INVALID_INPUT",
          `invalid route id ${JSON.stringify(text)}: expected a decimal route id`,
        ),
      )
