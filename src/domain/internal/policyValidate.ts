/** Decoding and validation of the autoApprovers policy: all of it is valid, or one PolicyError names the entry. */
import { Result, Schema, SchemaIssue } from "effect"
import { decodeSafely } from "../inputRules.js"
import type { Policy } from "../Policy.js"
import { parsePrefix } from "../Prefix.js"
import { formatPath, PolicyError } from "./policyError.js"

const Approvers = Schema.Array(Schema.String)

/** The shape only; unknown keys (acls, tagOwners, …) are dropped. @category models */
export const PolicyShape = Schema.Struct({
  groups: Schema.optionalKey(Schema.Record(Schema.String, Approvers)),
  autoApprovers: Schema.optionalKey(
    Schema.Struct({
      routes: Schema.optionalKey(Schema.Record(Schema.String, Approvers)),
      exitNode: Schema.optionalKey(Approvers),
    }),
  ),
})

const userForm = /^[^\s@]+@[^\s@]*$/
const nameForm = /^[^\s]+$/

const expectedApprover = "expected user@, user@domain, group:name or tag:name"

const approverProblem = (
  policy: Policy,
  approver: string,
  path: ReadonlyArray<PropertyKey>,
): PolicyError | undefined => {
  if (approver.startsWith("group:")) {
    const groups = policy.groups
    return groups !== undefined && Object.hasOwn(groups, approver)
      ? undefined
      : new PolicyError({
          path: formatPath(path),
          input: approver,
          reason: `${approver} is not defined in groups`,
        })
  }
  if (approver.startsWith("tag:") ? nameForm.test(approver.slice(4)) : userForm.test(approver))
    return undefined
  return new PolicyError({
    path: formatPath(path),
    input: approver,
    reason: `${JSON.stringify(approver)} is not an approver; ${expectedApprover}`,
  })
}

/** The first semantic problem of a well-shaped policy, in document order (groups, routes, exitNode). @category getters */
export const policyProblem = (policy: Policy): PolicyError | undefined => {
  for (const [name, members] of Object.entries(policy.groups ?? {})) {
    if (!name.startsWith("group:") || !nameForm.test(name.slice(6)))
      return new PolicyError({
        path: formatPath(["groups", name]),
        input: name,
        reason: `${JSON.stringify(name)} is not a group name; expected group:name`,
      })
    for (let i = 0; i < members.length; i++) {
      const m = members[i]!
      if (!userForm.test(m))
        return new PolicyError({
          path: formatPath(["groups", name, i]),
          input: m,
          reason: `${JSON.stringify(m)} is not a user; expected user@ or user@domain`,
        })
    }
  }
  const aa = policy.autoApprovers
  for (const [key, approvers] of Object.entries(aa?.routes ?? {})) {
    const parsed = parsePrefix(key)
    if (Result.isFailure(parsed))
      return new PolicyError({
        path: formatPath(["autoApprovers", "routes", key]),
        input: key,
        reason: parsed.failure.message,
      })
    for (let i = 0; i < approvers.length; i++) {
      const p = approverProblem(policy, approvers[i]!, ["autoApprovers", "routes", key, i])
      if (p) return p
    }
  }
  const exit = aa?.exitNode ?? []
  for (let i = 0; i < exit.length; i++) {
    const p = approverProblem(policy, exit[i]!, ["autoApprovers", "exitNode", i])
    if (p) return p
  }
  return undefined
}

const standard = SchemaIssue.makeFormatterStandardSchemaV1()

/** Decodes and validates an unknown value (parsed JSON) as a policy. @category constructors */
export const validatePolicy = (input: unknown): Result.Result<Policy, PolicyError> => {
  // Decoding copies what it reads, so a value that can be read at all is read here once;
  // one that cannot (a throwing getter, a revoked Proxy) is refused, never thrown.
  const shaped = decodeSafely(PolicyShape, input, { onExcessProperty: "ignore" })
  if (typeof shaped === "string") {
    return Result.fail(
      new PolicyError({ path: "", input: undefined, reason: `the policy could not be read: ${shaped}` }),
    )
  }
  if (Result.isFailure(shaped)) {
    const first = standard(shaped.failure.issue).issues[0]
    const path = (first?.path ?? []).map((s) => (typeof s === "object" ? s.key : s))
    return Result.fail(
      new PolicyError({
        path: formatPath(path),
        input: valueAt(input, path),
        reason: first?.message ?? "invalid",
      }),
    )
  }
  const problem = policyProblem(shaped.success)
  return problem === undefined ? Result.succeed(shaped.success) : Result.fail(problem)
}

const valueAt = (root: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let v = root
  try {
    for (const s of path)
      v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[s] : undefined
  } catch {
    return undefined
  }
  return v
}
