/** autoApprovers (DESIGN §4): does the policy approve a prefix a node advertises, and is a policy valid? */
import { type Result, Schema } from "effect"
import { type Compiled, compile, lookup } from "./internal/policyCompile.js"
import type { PolicyError } from "./internal/policyError.js"
import { PolicyShape, policyProblem, validatePolicy as validate } from "./internal/policyValidate.js"
import type { Node } from "./Node.js"
import type { Policy } from "./Policy.js"
import type { Prefix } from "./Prefix.js"

export { isPolicyError, PolicyError } from "./internal/policyError.js"

// Policies are immutable values; one compilation per object serves every lookup.
const compiled = new WeakMap<Policy, Compiled>()

/** True when the policy auto-approves `prefix` advertised by `node` (exit routes consult `exitNode`, subnets `routes`). @category predicates */
export const approves = (policy: Policy, node: Node, prefix: Prefix): boolean => {
  let c = compiled.get(policy)
  if (c === undefined) {
    c = compile(policy)
    compiled.set(policy, c)
  }
  return lookup(c, node, prefix)
}

/**
 * Schema of a valid policy: the shape (unknown keys dropped) plus every rule of
 * `validatePolicy`. Prefer `validatePolicy` for a typed `PolicyError`.
 *
 * @category models
 */
export const PolicySchema: Schema.Codec<Policy, Policy> = PolicyShape.pipe(
  Schema.check(Schema.makeFilter((p: Policy) => policyProblem(p)?.message ?? true)),
)

/**
 * Decodes and validates a policy (e.g. parsed JSON). Either the whole policy is
 * valid or the first offending entry, in document order, is named.
 *
 * @example validatePolicy({ autoApprovers: { routes: { "10.0.0.1/24": ["alice@"] } } })
 * // Failure: autoApprovers.routes["10.0.0.1/24"]: 10.0.0.1/24 has non-address bits set; expected 10.0.0.0/24
 * @category constructors
 */
export const validatePolicy: (input: unknown) => Result.Result<Policy, PolicyError> = validate
