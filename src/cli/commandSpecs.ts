/** The catalogue of commands: names, synopses, options and help text. Parsing and help both read it. */

/** A command-line option. @category models */
export interface OptionSpec {
  readonly name: string
  readonly type: "string" | "boolean"
  /** Placeholder shown in help for a string option, e.g. `N`. */
  readonly value?: string
  readonly short?: string
  readonly description: string
}

/** One command (`routes list`, `explain`): how it is called and what it does. @category models */
export interface CommandSpec {
  /** Words that select it, space separated. */
  readonly name: string
  /** Positional part of the usage line, e.g. `ID...`. */
  readonly args: string
  readonly minArgs: number
  readonly maxArgs: number
  readonly summary: string
  /** Longer help, printed under the usage line. */
  readonly details: ReadonlyArray<string>
  readonly options: ReadonlyArray<OptionSpec>
  readonly examples: ReadonlyArray<string>
}

/** Options every command accepts. @category constructors */
export const globalOptions: ReadonlyArray<OptionSpec> = [
  {
    name: "db",
    type: "string",
    value: "URL",
    description:
      "store: sqlite:PATH or postgres://... (default: $DATABASE_URL, else sqlite:./tailnet-routes.db)",
  },
  { name: "json", type: "boolean", description: "print JSON instead of text, for scripts" },
  {
    name: "grace-ms",
    type: "string",
    value: "N",
    description: "failover grace period the server runs with, in ms (default 15000)",
  },
  {
    name: "on-withdraw",
    type: "string",
    value: "MODE",
    description: "disable (default) or retain: what a withdrawal does to an approval",
  },
  {
    name: "when-none-eligible",
    type: "string",
    value: "MODE",
    description: "keep-last (default) or clear: the primary when no route is eligible",
  },
  {
    name: "preempt-after-ms",
    type: "string",
    value: "N",
    description: "turn preemption on: a higher-priority route takes over after N ms (default off)",
  },
  { name: "help", type: "boolean", short: "h", description: "show help for the command" },
  { name: "version", type: "boolean", description: "print the version of tailnet-routes and exit" },
]

const many = Number.POSITIVE_INFINITY

/**
 * Every command, in the order help lists them. Literal (`as const`) so that
 * `CommandName` is the union of the names and the CLI's handler table must
 * name exactly these.
 *
 * @category constructors
 */
export const commandSpecs = [
  {
    name: "routes list",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "list routes: id, node, prefix, advertised, enabled, primary, approval, priority",
    details: ["Live routes only (deleted rows are history), ordered by id."],
    options: [
      { name: "node", type: "string", value: "NODE", description: "only routes of this node" },
      { name: "prefix", type: "string", value: "PREFIX", description: "only routes of this exact prefix" },
    ],
    examples: ["tailnet-routes routes list", "tailnet-routes routes list --prefix 10.0.0.0/24 --json"],
  },
  {
    name: "routes enable",
    args: "ID...",
    minArgs: 1,
    maxArgs: many,
    summary: "enable (manually approve) routes; an exit route brings its pair",
    details: [
      "Each route must be advertised by its node. Enabling an enabled route changes nothing.",
      "All ids are checked first: if one is bad, nothing changes.",
    ],
    options: [],
    examples: ["tailnet-routes routes enable 3 4"],
  },
  {
    name: "routes disable",
    args: "ID...",
    minArgs: 1,
    maxArgs: many,
    summary: "disable routes; a primary among them hands over to the next eligible route",
    details: ["All ids are checked first: if one is bad, nothing changes."],
    options: [],
    examples: ["tailnet-routes routes disable 3"],
  },
  {
    name: "routes delete",
    args: "ID...",
    minArgs: 1,
    maxArgs: many,
    summary: "delete routes (a node still advertising the prefix brings back a fresh, unapproved row)",
    details: ["All ids are checked first: if one is bad, nothing changes."],
    options: [],
    examples: ["tailnet-routes routes delete 7"],
  },
  {
    name: "routes approve",
    args: "NODE PREFIX...",
    minArgs: 2,
    maxArgs: many,
    summary: "approve a node's advertised prefixes (same as enable, by node and prefix)",
    details: ["Prefixes are parsed strictly: 10.0.0.1/24 is refused (host bits set)."],
    options: [],
    examples: ["tailnet-routes routes approve router-1 10.0.0.0/24 192.168.1.0/24"],
  },
  {
    name: "routes priority",
    args: "ID N",
    minArgs: 2,
    maxArgs: 2,
    summary: "set a route's election priority (higher wins; default 0)",
    details: [
      "A sitting primary keeps the role (elections are sticky) unless preemption is on;",
      "priority decides the next election.",
    ],
    options: [],
    examples: ["tailnet-routes routes priority 3 10", "tailnet-routes routes priority 4 -1"],
  },
  {
    name: "nodes list",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "list nodes: id, user, tags, online or offline since when, key expiry, route count",
    details: [
      "Live nodes only (deleted nodes are history), ordered by id. Online means at least one open",
      "session, as the server stored it; expiry is judged at the current time.",
    ],
    options: [],
    examples: ["tailnet-routes nodes list", "tailnet-routes nodes list --json"],
  },
  {
    name: "explain",
    args: "PREFIX",
    minArgs: 1,
    maxArgs: 1,
    summary: "show a prefix's candidates, their eligibility with reasons, and why the primary is primary",
    details: [],
    options: [],
    examples: ["tailnet-routes explain 10.0.0.0/24"],
  },
  {
    name: "overlaps",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "warn about routes on different nodes that overlap, and routes covering reserved ranges",
    details: ["Warnings only: overlapping routes are legal and are elected separately."],
    options: [],
    examples: ["tailnet-routes overlaps"],
  },
  {
    name: "via",
    args: "SITE V4CIDR | V6CIDR | ADDRESS",
    minArgs: 1,
    maxArgs: 2,
    summary: "4via6: map a site ID and IPv4 prefix to its IPv6 route, or back",
    details: [
      "Needs no store. Site IDs are 0-65535 (decimal or 0x hex).",
      "An address (no /length) is unmapped as Tailscale's UnmapVia does: a 4via6 address",
      "gives its site and IPv4 address; any other address is printed unchanged.",
    ],
    options: [],
    examples: [
      "tailnet-routes via 7 10.1.1.0/24",
      "tailnet-routes via fd7a:115c:a1e0:b1a:0:7:a01:100/120",
      "tailnet-routes via fd7a:115c:a1e0:b1a:0:7:a01:105",
    ],
  },
  {
    name: "policy set",
    args: "FILE",
    minArgs: 1,
    maxArgs: 1,
    summary: "replace the autoApprovers policy from a JSON or HuJSON file (- reads stdin)",
    details: [
      "Approvals that came from the old policy and no longer match are revoked;",
      "manual approvals are kept. Routes the new policy approves are enabled.",
      "With --dry-run, prints the approvals it would grant and revoke and the primaries it would move.",
    ],
    options: [
      {
        name: "dry-run",
        type: "boolean",
        description: "show what would be granted, revoked and moved; write nothing",
      },
    ],
    examples: [
      "tailnet-routes policy set policy.hujson --dry-run",
      "tailnet-routes policy set policy.hujson",
    ],
  },
  {
    name: "policy show",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "print the stored autoApprovers policy as JSON",
    details: [],
    options: [],
    examples: ["tailnet-routes policy show"],
  },
  {
    name: "migrate",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "import routes from a Headscale database (any era) and print the import report",
    details: [
      "Reads the Headscale database only (read-only); writes into the store given by --db.",
      "Importing the same source again writes nothing.",
    ],
    options: [
      {
        name: "from-headscale",
        type: "string",
        value: "PATH_OR_URL",
        description: "the Headscale SQLite file, or a postgres:// URL (required)",
      },
      { name: "dry-run", type: "boolean", description: "print the report and write nothing" },
    ],
    examples: [
      "tailnet-routes migrate --from-headscale /var/lib/headscale/db.sqlite --dry-run",
      "tailnet-routes migrate --from-headscale postgres://headscale@127.0.0.1/headscale",
    ],
  },
  {
    name: "reconcile",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "repair stored state and re-elect every prefix, reporting what changed",
    details: ["Running it twice changes nothing the second time."],
    options: [{ name: "dry-run", type: "boolean", description: "report the repairs without writing them" }],
    examples: ["tailnet-routes reconcile --dry-run"],
  },
  {
    name: "simulate",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "build a synthetic tailnet in the store and play connects, disconnects and route churn",
    details: [
      "Prints a summary of elections, failovers and timings. Simulated time runs faster than",
      "wall time: each step advances the clock, so grace periods elapse. Use a scratch store.",
    ],
    options: [
      { name: "nodes", type: "string", value: "N", description: "number of nodes (required)" },
      {
        name: "routers-pct",
        type: "string",
        value: "P",
        description: "percentage of nodes that advertise routes (default 20)",
      },
      { name: "seconds", type: "string", value: "S", description: "simulated seconds to play (default 60)" },
      { name: "seed", type: "string", value: "N", description: "random seed (default 1)" },
    ],
    examples: ["tailnet-routes --db sqlite:/tmp/sim.db simulate --nodes 500 --routers-pct 10"],
  },
  {
    name: "serve",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "run the HTTP service: a route manager over the store behind a JSON API and a change stream",
    details: [
      "Every endpoint but /healthz, /readyz, /metrics, /openapi.json and the dashboard page at / needs",
      "Authorization: Bearer <key> (apikeys create). Logs are JSON lines on stdout; the first gives the",
      "address. SIGTERM or SIGINT drains requests, ends change streams and closes the store.",
    ],
    options: [
      {
        name: "listen",
        type: "string",
        value: "HOST:PORT",
        description: "address to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
      },
      {
        name: "max-body-bytes",
        type: "string",
        value: "N",
        description: "largest request body (default 1048576)",
      },
      {
        name: "request-timeout-ms",
        type: "string",
        value: "N",
        description: "a request not answered by then gets 503 (default 30000; not the change stream)",
      },
      {
        name: "heartbeat-ms",
        type: "string",
        value: "N",
        description: "change-stream heartbeat (default 15000)",
      },
      {
        name: "drain-ms",
        type: "string",
        value: "N",
        description: "how long a stop waits for requests (default 10000)",
      },
      {
        name: "replica-id",
        type: "string",
        value: "ID",
        description: "this server among replicas on one store",
      },
    ],
    examples: [
      "tailnet-routes --db sqlite:/var/lib/tailnet-routes.db serve --listen 127.0.0.1:8080",
      "tailnet-routes --db postgres://routes@db/routes serve --grace-ms 5000",
    ],
  },
  {
    name: "apikeys create",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "create an API key for the HTTP service; the key is printed once, on the last line",
    details: ["The store keeps only a lookup prefix and a salted hash of the key."],
    options: [
      {
        name: "expires",
        type: "string",
        value: "DURATION",
        description: "expire after 90d, 12h, 30m or 45s (default never)",
      },
    ],
    examples: ["tailnet-routes apikeys create --expires 90d"],
  },
  {
    name: "apikeys list",
    args: "",
    minArgs: 0,
    maxArgs: 0,
    summary: "list API keys: prefix, created, expires, status",
    details: [],
    options: [],
    examples: ["tailnet-routes apikeys list --json"],
  },
  {
    name: "apikeys expire",
    args: "PREFIX",
    minArgs: 1,
    maxArgs: 1,
    summary: "expire an API key now (by its prefix, as apikeys list shows it)",
    details: [],
    options: [],
    examples: ["tailnet-routes apikeys expire trk_0123456789ab"],
  },
] as const satisfies ReadonlyArray<CommandSpec>

/** The name of a command in the catalogue. @category models */
export type CommandName = (typeof commandSpecs)[number]["name"]

/** Command families: a first word that needs a second. @category constructors */
export const families: ReadonlyArray<string> = ["routes", "nodes", "policy", "apikeys"]
