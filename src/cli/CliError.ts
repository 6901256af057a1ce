/** The two ways a command fails: bad usage (exit 2) or a runtime/storage failure (exit 1). */

/** The command line is wrong: unknown command or option, missing or malformed argument. Exit code 2. @category errors */
export class UsageError extends Error {
  override readonly name = "UsageError"
  readonly exitCode = 2
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
}

/** @category guards */
export const isUsageError = (u: unknown): u is UsageError => u instanceof UsageError

/** @category guards */
export const isCommandError = (u: unknown): u is CommandError => u instanceof CommandError
