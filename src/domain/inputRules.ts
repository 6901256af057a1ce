/**
 * The validation layer: every rule an entry (the Effect API, the Promise
 * facade, the CLI's flags) checks before anything runs, written once as
 * effect Schemas. A value that breaks a rule is an `InvalidInput` naming the
 * field and the value; nothing is read from or written to a store.
 *
 * The rules (the README's "Hardening: what is checked"):
 * - identifiers (node ids, users, tags, replica ids): well-formed Unicode (no
 *   lone surrogate), no NUL or other control character (C0, DEL, C1), at most
 *   `MAX_IDENTIFIER` UTF-16 code units; node ids and users are not empty; a
 *   tag is `tag:` then a name without whitespace;
 * - times: integers from 0 to `MAX_TIME_MS` (the largest `Date`);
 * - durations and counts: integers from 0 to their stated bound;
 * - priorities: integers from `MIN_PRIORITY` to `MAX_PRIORITY` (32-bit);
 * - options: the keys `Options` names, with their types and enum values;
 *   an unknown key is refused (a misspelt option is a mistake, not a no-op).
 *
 * The pure core trusts its inputs: these rules guard the entries that take
 * values from outside.
 */
import { Cause, Exit, Result, Schema, SchemaIssue } from "effect"
import { InvalidInput } from "./errors.js"
import type { Options } from "./Options.js"

/** Longest identifier (node id, user, tag, replica id), in UTF-16 code units. @category models */
export const MAX_IDENTIFIER = 256
/** Latest time accepted, in epoch ms: the largest valid `Date` (+275760-09-13). @category models */
export const MAX_TIME_MS = 8.64e15
/** Priority bounds: a 32-bit signed integer, what every store's column holds. @category models */
export const MIN_PRIORITY = -(2 ** 31)
/** @category models */
export const MAX_PRIORITY = 2 ** 31 - 1
/** Longest duration option (grace period, preemption delay, lease), in ms: 365 days. @category models */
export const MAX_DURATION_MS = 365 * 24 * 3_600_000
/** Largest `maxRoutesPerNode`. @category models */
export const MAX_ROUTES_PER_NODE = 1_000_000

// A lone surrogate: a high one not followed by a low one, or a low one not preceded by a high one.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlCharacter = /[\u0000-\u001F\u007F-\u009F]/

/** Whether a text is well-formed Unicode (no lone surrogate). @category predicates */
export const isWellFormed = (s: string): boolean => !loneSurrogate.test(s)

/** Why a text cannot be an identifier (beyond its length), or undefined when it can. @category predicates */
export const identifierProblem = (s: string): string | undefined => {
  if (s.length > MAX_IDENTIFIER) return `Expected a value with a length of at most ${MAX_IDENTIFIER}`
  if (loneSurrogate.test(s)) return "Expected well-formed Unicode (no lone surrogate)"
  if (controlCharacter.test(s)) return "Expected no NUL or control character"
  return undefined
}

// The length as a built-in check, so the JSON Schema of the dialect shows it (maxLength).
const identifierChecks = [
  Schema.isMaxLength(MAX_IDENTIFIER),
  Schema.makeFilter((s: string) => identifierProblem(s) ?? true),
] as const

/** Any identifier text (may be empty: the anonymous replica `""`). @category models */
export const IdentifierSchema = Schema.String.pipe(Schema.check(...identifierChecks))

/** A node id or a user: a non-empty identifier. @category models */
export const NameSchema = Schema.String.pipe(Schema.check(Schema.isMinLength(1), ...identifierChecks))

/** An ACL tag: `tag:` then a name without whitespace, an identifier. @category models */
export const TagSchema = Schema.String.pipe(Schema.check(Schema.isPattern(/^tag:\S+$/), ...identifierChecks))

const intBetween = (minimum: number, maximum: number) =>
  Schema.Number.pipe(
    Schema.check(
      Schema.makeFilter(
        (n: number) =>
          (Number.isInteger(n) && n >= minimum && n <= maximum) ||
          `Expected an integer from ${minimum} to ${maximum}`,
      ),
    ),
  )

/** A time in epoch ms: an integer from 0 to `MAX_TIME_MS`. @category models */
export const TimeSchema = intBetween(0, MAX_TIME_MS)

/** A route priority: a 32-bit signed integer. @category models */
export const PrioritySchema = intBetween(MIN_PRIORITY, MAX_PRIORITY)

/** A route id: a positive safe integer. @category models */
export const RouteIdSchema = intBetween(1, Number.MAX_SAFE_INTEGER)

/** A duration in ms: an integer from 0 to 365 days. @category models */
export const DurationSchema = intBetween(0, MAX_DURATION_MS)

/** The election and withdrawal options a caller may set; every key optional, no other key. @category models */
export const OptionsSchema = Schema.Struct({
  onWithdraw: Schema.optionalKey(Schema.Literals(["disable", "retain"])),
  whenNoneEligible: Schema.optionalKey(Schema.Literals(["keep-last", "clear"])),
  gracePeriodMs: Schema.optionalKey(DurationSchema),
  preemption: Schema.optionalKey(Schema.Boolean),
  preemptDelayMs: Schema.optionalKey(DurationSchema),
  maxRoutesPerNode: Schema.optionalKey(intBetween(1, MAX_ROUTES_PER_NODE)),
})

/** The manager's settings beyond the options (the policy is checked by `validatePolicy`). @category models */
export const SettingsSchema = Schema.Struct({
  policy: Schema.optionalKey(Schema.Unknown),
  conflictRetries: Schema.optionalKey(intBetween(0, 1_000)),
  replicaId: Schema.optionalKey(NameSchema),
  leaseMs: Schema.optionalKey(intBetween(1, MAX_DURATION_MS)),
})

/** A poll interval of a store layer, in ms: 1 ms to one hour. @category models */
export const PollIntervalSchema = intBetween(1, 3_600_000)

/**
 * A value as a message shows it: JSON text where there is one (control
 * characters and lone surrogates escaped, so a message never carries a NUL),
 * else its kind (`undefined`, `NaN`, a bigint's digits, a function).
 *
 * @category getters
 */
export const showValue = (value: unknown): string => {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value)
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "function") return "a function"
  if (typeof value === "symbol") return "a symbol"
  if (value === undefined) return "undefined"
  try {
    const text = JSON.stringify(value)
    if (text === undefined) return Object.prototype.toString.call(value)
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
  } catch {
    return Object.prototype.toString.call(value)
  }
}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Decodes without throwing: the result, or the message of what was thrown
 * while reading the value (a getter, a Proxy trap), which decoding reports as a defect.
 *
 * @category constructors
 */
export const decodeSafely = <A>(
  schema: Schema.Decoder<A>,
  value: unknown,
  options: { readonly onExcessProperty?: "error" | "ignore" } = { onExcessProperty: "error" },
): Result.Result<A, Schema.SchemaError> | string => {
  let exit: Exit.Exit<A, Schema.SchemaError>
  try {
    exit = Schema.decodeUnknownExit(schema)(value, options)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  if (Exit.isSuccess(exit)) return Result.succeed(exit.value)
  const error = Cause.findError(exit.cause)
  if (Result.isSuccess(error)) return Result.fail(error.success)
  const defect = Cause.squash(exit.cause)
  return defect instanceof Error ? defect.message : String(defect)
}

/** Reads `path` in `value` (as decoding did), or undefined when it cannot be read. */
const at = (value: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let v = value
  for (const k of path) {
    if ((typeof v !== "object" && typeof v !== "function") || v === null) return undefined
    try {
      v = (v as Record<PropertyKey, unknown>)[k]
    } catch {
      return undefined
    }
  }
  return v
}

const fieldOf = (field: string, path: ReadonlyArray<PropertyKey>): string => {
  let out = field
  for (const k of path) out += typeof k === "number" ? `[${k}]` : out === "" ? String(k) : `.${String(k)}`
  return out
}

/**
 * Decodes `value` with `schema`; a failure is an `InvalidInput` naming the
 * field (`field` plus the path inside the value) and the value found there.
 * A value that cannot even be read (a getter that throws, a revoked Proxy)
 * is refused the same way, never thrown.
 *
 * @category constructors
 */
export const checkInput = <A>(
  schema: Schema.Codec<A, unknown> | Schema.Decoder<A>,
  field: string,
  value: unknown,
): Result.Result<A, InvalidInput> => {
  const decoded = decodeSafely(schema as Schema.Decoder<A>, value)
  if (typeof decoded === "string") {
    return Result.fail(
      new InvalidInput({ field, value: undefined, message: `${field}: could not be read (${decoded})` }),
    )
  }
  if (Result.isSuccess(decoded)) return Result.succeed(decoded.success)
  const issue = formatter(decoded.failure.issue).issues[0]
  const path = (issue?.path ?? []).map((p) => (typeof p === "object" && p !== null ? p.key : p))
  const name = fieldOf(field, path)
  const found = at(value, path)
  const reason = (issue?.message ?? "Expected a valid value").replace(
    /^Expected no excess property$/,
    "Expected no such key (not an option this takes)",
  )
  const message = `${name}: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}; got ${showValue(found)}`
  return Result.fail(new InvalidInput({ field: name, value: found, message }))
}

/** The options, checked, with the defaults for what is not given. @category constructors */
export const checkOptions = (partial: unknown): Result.Result<Partial<Options>, InvalidInput> =>
  partial === undefined ? Result.succeed({}) : checkInput(OptionsSchema, "options", partial)

/** A node's tags. @category models */
export const TagsSchema = Schema.Array(TagSchema)

/** What `upsertNode` takes: the wire schema's rules (`NodeInputSchema` uses the same ones). @category models */
export const NodeInputRules = Schema.Struct({
  id: NameSchema,
  user: NameSchema,
  tags: Schema.optionalKey(TagsSchema),
  ephemeral: Schema.optionalKey(Schema.Boolean),
  expiresAt: Schema.optionalKey(Schema.NullOr(TimeSchema)),
})

/** A list of prefix texts (each parsed by the command: strictly, or leniently for `advertise`). @category models */
export const PrefixListSchema = Schema.Array(Schema.String)

/** A command's routes: by id, or a node's prefixes. @category models */
export const RouteTargetSchema = Schema.Union([
  Schema.Struct({ routeIds: Schema.Array(RouteIdSchema) }),
  Schema.Struct({ nodeId: NameSchema, prefixes: PrefixListSchema }),
])

/** A `listRoutes` filter: every key optional, no other key. Reads are total, so any node id text is allowed. @category models */
export const RouteFilterSchema = Schema.Struct({
  nodeId: Schema.optionalKey(Schema.String),
  prefix: Schema.optionalKey(Schema.String),
  primary: Schema.optionalKey(Schema.Boolean),
  enabled: Schema.optionalKey(Schema.Boolean),
  advertised: Schema.optionalKey(Schema.Boolean),
  healthy: Schema.optionalKey(Schema.Boolean),
  exit: Schema.optionalKey(Schema.Boolean),
})
