/**
 * The two ways a command fails: bad usage (exit 2) or a runtime/storage
 * failure (exit 1). Both carry a stable code of the JSON dialect, which the
 * CLI prints with `--json` as `{ code, message, … }` on stderr.
 */
import { isTailnetRoutesError, toFacadeError } from "../facade/errors.js"
import type { apiErrorCodes, cliErrorCodes } from "../facade/jsonSchemas.js"

/** A code the CLI reports: the API's (`UNKNOWN_NODE`, `STORAGE`, …) or its own (`USAGE`, `STORE_NOT_FOUND`, …). @category models */
export type CliErrorCode = (typeof apiErrorCodes)[number] | (typeof cliErrorCodes)[number]

/** The command line is wrong: unknown command or option, missing or malformed argument. Exit code 2, code `USAGE`. @category errors */
export class UsageError extends Error {
  override readonly name = "UsageError"
  readonly exitCode = 2
  readonly code = "USAGE"
  /** The command whose usage line is shown under the message, if known. */
  readonly command: string | null
  constructor(message: string, command: string | null = null) {
    super(message)
    this.command = command
  }
}

/** The command was well formed but failed (unknown id, refused transition, storage error). Exit code 1. @category errors */
export class CommandError extends Error {
  override readonly name = "CommandError"
  readonly exitCode = 1
  readonly code: CliErrorCode
  /** Fields naming the input, as the JSON error carries them (`nodeId`, `routeId`, `file`, …). */
  readonly details: Readonly<Record<string, unknown>>
  constructor(
    message: string,
    code: CliErrorCode = "FAILED",
    details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message)
    this.code = code
    this.details = details
  }
}

/**
 * A `CommandError` from a typed failure of the core, the policy or the store,
 * with the code and fields the Promise facade gives the same failure;
 * `message` defaults to the failure's own.
 *
 * @category constructors
 */
export const commandErrorOf = (
  failure: { readonly message: string },
  message = failure.message,
): CommandError => {
  const mapped = toFacadeError(failure)
  if (!isTailnetRoutesError(mapped)) return new CommandError(message)
  const { code, message: _, ...details } = mapped.toJSON()
  return new CommandError(message, code, details)
}

/** @category guards */
export const isUsageError = (u: unknown): u is UsageError => u instanceof UsageError

/** @category guards */
export const isCommandError = (u: unknown): u is CommandError => u instanceof CommandError
