/** The one error type of policy decoding, validation and text parsing (DESIGN §4). */
import { Data } from "effect"

/**
 * A policy that is rejected as a whole. `path` names the offending entry
 * (`autoApprovers.routes["10.0.0.1/24"]`), or is empty for a syntax error in
 * policy text, whose `reason` then starts with `line L, column C`.
 *
 * @category errors
 */
export class PolicyError extends Data.TaggedError("PolicyError")<{
  readonly path: string
  /** The offending value: a route key, an approver, a group member, or the policy text. */
  readonly input: unknown
  readonly reason: string
}> {
  override get message(): string {
    return this.path === "" ? this.reason : `${this.path}: ${this.reason}`
  }
}

/** @category guards */
export const isPolicyError = (u: unknown): u is PolicyError => u instanceof PolicyError

const identifier = /^[A-Za-z_$][\w$]*$/

/** Renders a path like `autoApprovers.routes["10.0.0.0/8"][1]`; keys that aren't identifiers are bracketed. @category getters */
export const formatPath = (segments: ReadonlyArray<PropertyKey>): string => {
  let out = ""
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`
    else if (typeof s === "string" && identifier.test(s)) out += out === "" ? s : `.${s}`
    else out += `[${JSON.stringify(String(s))}]`
  }
  return out
}
