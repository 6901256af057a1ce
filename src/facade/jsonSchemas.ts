/**
 * The JSON dialect, as effect Schemas: every record the Promise facade returns
 * and every `--json` output of the CLI, one shape for both. Field names are
 * the library's (`nodeId`, `isPrimary`, `deletedAt`), prefixes are canonical
 * text, every time is epoch milliseconds (an integer, `null` when unset).
 * `docs/schema.json` is generated from these (`npm run docs:schema`), and a
 * test fails when it is out of date. The TypeScript types in `toJson.ts` are
 * checked against them at compile time.
 */
import { Schema } from "effect"
import { NodeSchema, PolicySchema, RouteSchema } from "../domain/schemas.js"

const EpochMs = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))).annotate({
  description: "epoch milliseconds",
})
const RouteId = Schema.Int.pipe(Schema.check(Schema.isGreaterThan(0))).annotate({ description: "a route id" })
const PrefixText = Schema.String.annotate({ description: "canonical prefix text, e.g. 10.0.0.0/24" })

/** A route row. @category models */
export const RouteJsonSchema = RouteSchema.annotate({
  identifier: "Route",
  description:
    "A route row: one (node, prefix) a node advertises. Times are epoch ms; deletedAt is null while live.",
})

/** A node record. @category models */
export const NodeJsonSchema = NodeSchema.annotate({
  identifier: "Node",
  description:
    "A node record with its presence. Times are epoch ms; expiresAt null means the key never expires.",
})

/** The autoApprovers policy. @category models */
export const PolicyJsonSchema = PolicySchema.annotate({
  identifier: "Policy",
  description: "The autoApprovers part of a tailnet policy (groups and autoApprovers).",
})

const change = <S extends Schema.Top>(row: S, name: string) =>
  Schema.Struct({ before: Schema.NullOr(row), after: row }).annotate({
    identifier: `${name}Change`,
    description: `A ${name.toLowerCase()} row written: before is null when the row is new.`,
  })

/** A prefix whose primary moved. @category models */
export const PrimaryChangeJsonSchema = Schema.Struct({
  prefix: PrefixText,
  before: Schema.NullOr(RouteId),
  after: Schema.NullOr(RouteId),
}).annotate({ identifier: "PrimaryChange", description: "A prefix whose primary route moved (route ids)." })

/** An input element that was dropped or masked. @category models */
export const RejectionJsonSchema = Schema.Struct({ input: Schema.String, reason: Schema.String }).annotate({
  identifier: "Rejection",
  description: "An advertised element (or other input) that was dropped or masked, and why.",
})

/**
 * What one committed command changed. The optional `version`, `origin`,
 * `committedAt` and `reloadedFrom` are present on change events of a store
 * shared by several processes (`subscribe`).
 *
 * @category models
 */
export const ChangeJsonSchema = Schema.Struct({
  nodes: Schema.Array(change(NodeJsonSchema, "Node")).annotate({ description: "Node records written." }),
  routes: Schema.Array(change(RouteJsonSchema, "Route")).annotate({
    description: "Route rows written; a soft delete is an update whose after.deletedAt is set.",
  }),
  primaries: Schema.Array(PrimaryChangeJsonSchema),
  affectedPrefixes: Schema.Array(PrefixText).annotate({
    description: "Prefixes whose routes changed in any way (rows written, primaries moved).",
  }),
  affectedNodes: Schema.Array(Schema.String).annotate({
    description:
      "Nodes whose own served route set changed (a primary subnet gained or lost, the exit pair started or stopped being served): each needs a new netmap of its own.",
  }),
  reroutedPrefixes: Schema.Array(PrefixText).annotate({
    description:
      "Prefixes whose visibility changed, i.e. which node serves them: every prefix in primaries, plus 0.0.0.0/0 and ::/0 when a node in affectedNodes started or stopped serving its exit pair. Every peer that can see one of these prefixes needs a new netmap.",
  }),
  rejected: Schema.Array(RejectionJsonSchema),
  policy: Schema.NullOr(PolicyJsonSchema).annotate({
    description: "The new policy when the command replaced it, else null.",
  }),
  version: Schema.optionalKey(Schema.Int).annotate({
    description: "Change events only: the tailnet version this change made.",
  }),
  origin: Schema.optionalKey(Schema.String).annotate({
    description: "Change events only: who committed it (a replica id, cli, import, reload).",
  }),
  committedAt: Schema.optionalKey(EpochMs).annotate({
    description: "Change events only: when it was committed, by the committing process's clock.",
  }),
  reloadedFrom: Schema.optionalKey(Schema.NullOr(Schema.Int)).annotate({
    description:
      "Change events only: set when the change is the difference after a reload from that version.",
  }),
}).annotate({ identifier: "Change", description: "What one committed command changed (a change set)." })

/** Why a primary is primary. @category models */
export const primaryReasons = [
  "Sticky",
  "OnlyEligible",
  "HighestPriority",
  "Oldest",
  "LowestId",
  "Preempted",
  "KeptLast",
] as const

/** Why an eligible route is not the primary. @category models */
export const standbyReasons = [
  "LowerPriority",
  "Younger",
  "HigherId",
  "PrimaryIsSticky",
  "PreemptPending",
] as const

/** Why a route may not be primary. @category models */
export const ineligibleReasons = [
  "Deleted",
  "ExitRoute",
  "NotAdvertised",
  "Disabled",
  "Unhealthy",
  "NodeUnknown",
  "NodeDeleted",
  "Expired",
  "NeverConnected",
  "Offline",
] as const

/** One route's standing in `explain`. @category models */
export const CandidateJsonSchema = Schema.Struct({
  route: RouteJsonSchema,
  status: Schema.Literals(["primary", "standby", "ineligible"]),
  reason: Schema.Literals([...primaryReasons, ...standbyReasons, ...ineligibleReasons]).annotate({
    description:
      "Machine-readable reason: why the primary is primary (Sticky, OnlyEligible, HighestPriority, Oldest, LowestId, Preempted, KeptLast), why a standby is not (LowerPriority, Younger, HigherId, PrimaryIsSticky, PreemptPending), or why a route may not be primary (Deleted, ExitRoute, NotAdvertised, Disabled, Unhealthy, NodeUnknown, NodeDeleted, Expired, NeverConnected, Offline).",
  }),
  eligible: Schema.Boolean,
  at: Schema.NullOr(EpochMs).annotate({
    description:
      "The time the reason names: offline since (Offline), expired at (Expired), deleted at (Deleted, NodeDeleted), takes over at (PreemptPending); else null.",
  }),
  graceUntil: Schema.NullOr(EpochMs).annotate({
    description: "Eligible while disconnected: the end of its grace window; else null.",
  }),
  text: Schema.String.annotate({ description: "The same standing as one sentence for an operator." }),
}).annotate({ identifier: "Candidate", description: "One route's standing in the election of its prefix." })

/** Why a prefix has the primary it has. @category models */
export const ExplanationJsonSchema = Schema.Struct({
  prefix: PrefixText,
  exit: Schema.Boolean.annotate({
    description: "An exit route: never elected, served by every enabled pair.",
  }),
  primary: Schema.NullOr(RouteId).annotate({ description: "The primary the election picks now." }),
  storedPrimary: Schema.NullOr(RouteId).annotate({
    description: "The primary the store flags (differs only while a re-election is due).",
  }),
  candidates: Schema.Array(CandidateJsonSchema).annotate({
    description: "Every live route of the prefix: the primary first, then in election order.",
  }),
  verdict: Schema.Array(Schema.String).annotate({ description: "Why the primary is primary, in sentences." }),
}).annotate({ identifier: "Explanation", description: "Why a prefix has the primary it has." })

/** Overlap warnings. @category models */
export const OverlapsJsonSchema = Schema.Struct({
  overlaps: Schema.Array(Schema.Struct({ a: RouteJsonSchema, b: RouteJsonSchema })).annotate({
    description: "Pairs of routes on different nodes whose prefixes overlap (one contains the other).",
  }),
  reserved: Schema.Array(Schema.Struct({ route: RouteJsonSchema, range: PrefixText })).annotate({
    description: "Routes that cover a reserved range (the tailnet's addresses, MagicDNS).",
  }),
}).annotate({ identifier: "Overlaps", description: "Overlap warnings (overlapping routes are legal)." })

/** One repair `reconcile` made. @category models */
export const RepairJsonSchema = Schema.Struct({
  kind: Schema.Literals([
    "OrphanRow",
    "DuplicateRow",
    "WithdrawnButEnabled",
    "StaleApproval",
    "MissingApprovalSource",
    "HalfExitPair",
    "ExtraPrimary",
    "PrimaryNotServable",
    "ExitRoutePrimary",
  ]),
  nodeId: Schema.NullOr(Schema.String),
  prefix: PrefixText,
  routeIds: Schema.Array(RouteId),
  message: Schema.String,
}).annotate({ identifier: "Repair", description: "One repair reconcile made (or, dry run, would make)." })

/** The result of `reconcile`. @category models */
export const ReconcileJsonSchema = Schema.Struct({
  dryRun: Schema.optionalKey(Schema.Boolean).annotate({
    description: "CLI only: true when nothing was written (reconcile --dry-run).",
  }),
  repairs: Schema.Array(RepairJsonSchema),
  changes: ChangeJsonSchema,
}).annotate({ identifier: "Reconcile", description: "The repairs and the change set that makes them." })

/** A node as `nodes list` shows it. @category models */
export const NodeSummaryJsonSchema = Schema.Struct({
  node: NodeJsonSchema,
  online: Schema.Boolean.annotate({ description: "At least one open session." }),
  since: Schema.NullOr(EpochMs).annotate({
    description: "Online since (connectedAt) or offline since (disconnectedAt); null if it never connected.",
  }),
  expired: Schema.Boolean.annotate({ description: "Its key expired (expiresAt has passed)." }),
  routes: Schema.Int.annotate({ description: "How many live routes it has." }),
}).annotate({ identifier: "NodeSummary", description: "A node with its presence, as nodes list shows it." })

/** `via` output. @category models */
export const ViaJsonSchema = Schema.Union([
  Schema.Struct({ site: Schema.Int, v4: PrefixText, v6: PrefixText }).annotate({
    description: "via SITE V4CIDR, or via V6CIDR: the prefix both ways.",
  }),
  Schema.Struct({
    address: Schema.String,
    site: Schema.NullOr(Schema.Int),
    ipv4: Schema.NullOr(Schema.String),
  }).annotate({
    description: "via ADDRESS: unmapVia; site and ipv4 are null when it is not a 4via6 address.",
  }),
]).annotate({ identifier: "Via", description: "4via6 mapping (CLI via --json)." })

/** `migrate --json` output. @category models */
export const ImportJsonSchema = Schema.Struct({
  source: Schema.String,
  written: Schema.Boolean,
  report: Schema.Record(Schema.String, Schema.Unknown).annotate({
    description: "The ImportReport: counts, and every skipped, collapsed or changed row named.",
  }),
  changes: ChangeJsonSchema,
}).annotate({ identifier: "Import", description: "A Headscale import (CLI migrate --json)." })

/** `simulate --json` output. @category models */
export const SimulationJsonSchema = Schema.Struct({
  nodes: Schema.Int,
  routers: Schema.Int,
  prefixes: Schema.Int,
  simulatedSeconds: Schema.Int,
  operations: Schema.Struct({
    total: Schema.Int,
    connects: Schema.Int,
    disconnects: Schema.Int,
    advertisements: Schema.Int,
    ticks: Schema.Int,
  }),
  elections: Schema.Int,
  failovers: Schema.Int,
  lost: Schema.Int,
  primariesAtEnd: Schema.Int,
  timings: Schema.Struct({
    setupMs: Schema.Number,
    playMs: Schema.Number,
    p50Ms: Schema.Number,
    p95Ms: Schema.Number,
    maxMs: Schema.Number,
  }),
}).annotate({ identifier: "Simulation", description: "A simulation summary (CLI simulate --json)." })

/** Codes of the facade's errors (`TailnetRoutesError.code`). @category models */
export const apiErrorCodes = [
  "UNKNOWN_NODE",
  "NODE_DELETED",
  "UNKNOWN_ROUTE",
  "NO_SUCH_ROUTE",
  "INVALID_PREFIX",
  "ROUTE_NOT_ADVERTISED",
  "HALF_EXIT_PAIR",
  "INVALID_PRIORITY",
  "NOT_EPHEMERAL",
  "INVALID_POLICY",
  "INVALID_INPUT",
  "STORAGE",
  "CONSTRAINT_VIOLATION",
  "WRITE_CONFLICT",
  "SCHEMA_TOO_NEW",
  "FOREIGN_STORE",
  "MANAGER_CLOSED",
] as const

/** Codes only the CLI reports (its command line, files and stores). @category models */
export const cliErrorCodes = [
  "USAGE",
  "STORE_NOT_FOUND",
  "STORE_NOT_EMPTY",
  "DRIVER_MISSING",
  "FILE_NOT_FOUND",
  "FILE_UNREADABLE",
  "HEADSCALE_SOURCE",
  "FAILED",
  "INTERNAL",
] as const

/**
 * An error: the facade's `error.toJSON()`, and the CLI's stderr with `--json`.
 * Fields beside `code` and `message` name the input.
 *
 * @category models
 */
export const ErrorJsonSchema = Schema.Struct({
  code: Schema.Literals([...apiErrorCodes, ...cliErrorCodes]).annotate({
    description:
      "Stable code. The API's (UNKNOWN_NODE … MANAGER_CLOSED) and the CLI's own: USAGE (exit 2), STORE_NOT_FOUND, STORE_NOT_EMPTY, DRIVER_MISSING, FILE_NOT_FOUND, FILE_UNREADABLE, HEADSCALE_SOURCE, FAILED, INTERNAL.",
  }),
  message: Schema.String.annotate({ description: "What went wrong, naming the bad input." }),
}).annotate({
  identifier: "Error",
  description:
    "An error. More fields name the input where there is one: nodeId, routeId, prefix, input, path, constraint, …; a CLI usage error has command and usage.",
})

/** Every record of the dialect, by name: the `$defs` of `docs/schema.json`. @category models */
export const jsonSchemas = {
  Route: RouteJsonSchema,
  Node: NodeJsonSchema,
  Policy: PolicyJsonSchema,
  Change: ChangeJsonSchema,
  Explanation: ExplanationJsonSchema,
  Overlaps: OverlapsJsonSchema,
  Reconcile: ReconcileJsonSchema,
  NodeSummary: NodeSummaryJsonSchema,
  Via: ViaJsonSchema,
  Import: ImportJsonSchema,
  Simulation: SimulationJsonSchema,
  Error: ErrorJsonSchema,
} as const
