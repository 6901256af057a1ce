/** The one bridge from effect's `Result` to fp-ts's `Either`: every wrapper goes through it. */
import { Result } from "effect"
import { type Either, left, right } from "fp-ts/lib/Either.js"

/**
 * Converts an effect `Result` to an fp-ts `Either` (`Success` → `Right`,
 * `Failure` → `Left`), keeping the value and the error as they are.
 *
 * @category constructors
 */
export const fromResult = <A, E>(result: Result.Result<A, E>): Either<E, A> =>
  Result.isSuccess(result) ? right(result.success) : left(result.failure)

/** Lifts a `Result`-returning function to an `Either`-returning one with the same parameters. @category constructors */
export const liftResult =
  <Args extends ReadonlyArray<unknown>, A, E>(f: (...args: Args) => Result.Result<A, E>) =>
  (...args: Args): Either<E, A> =>
    fromResult(f(...args))
