/** A prefix argument, parsed strictly: a malformed one is a usage error naming the input. */
import { Result } from "effect"
import { type Prefix, parsePrefix } from "../domain/Prefix.js"
import { UsageError } from "./CliError.js"

/** Parses a prefix argument or throws `UsageError` with the parser's message (`10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24`). @category constructors */
export const prefixArg = (text: string, command: string): Prefix => {
  const parsed = parsePrefix(text)
  if (Result.isFailure(parsed)) throw new UsageError(parsed.failure.message, command)
  return parsed.success
}
