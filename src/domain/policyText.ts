/** Policy files: JSON or HuJSON text (Tailscale's format: comments and trailing commas) to a validated Policy. */
import { Result } from "effect"
import { validatePolicy } from "./autoApprovers.js"
import { PolicyError } from "./internal/policyError.js"
import { hujsonToJson, lineColumn, type TextError } from "./internal/policyHujson.js"
import { parseJson } from "./internal/policyJson.js"
import type { Policy } from "./Policy.js"

const syntaxError = (text: string, e: TextError): PolicyError => {
  const { line, column } = lineColumn(text, e.offset)
  return new PolicyError({ path: "", input: text, reason: `line ${line}, column ${column}: ${e.reason}` })
}

/**
 * Parses policy text (JSON or HuJSON) and validates it. A syntax error names
 * its line and column; a valid syntax with an invalid policy gives
 * `validatePolicy`'s error.
 *
 * @example parsePolicyText('{ "autoApprovers": { "exitNode": ["alice@"], }, // trailing comma\n }')
 * @category constructors
 */
export const parsePolicyText = (text: string): Result.Result<Policy, PolicyError> => {
  const json = hujsonToJson(text)
  if (Result.isFailure(json)) return Result.fail(syntaxError(text, json.failure))
  // The JSON text has the offsets of the original, so positions need no mapping.
  const value = parseJson(json.success)
  if (Result.isFailure(value)) return Result.fail(syntaxError(text, value.failure))
  return validatePolicy(value.success)
}
