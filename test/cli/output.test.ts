import { describe, expect, it } from "vitest"
import { changeText, routeDelta } from "../../src/cli/changeOutput.js"
import { colourWanted, makePalette, stripAnsi } from "../../src/cli/colour.js"
import { nodeSummaries, nodeTable } from "../../src/cli/commands/nodes.js"
import { summaryText } from "../../src/cli/commands/simulate.js"
import { makeProgress, progressLine } from "../../src/cli/progress.js"
import { routeTable } from "../../src/cli/routeOutput.js"
import { renderTable } from "../../src/cli/table.js"
import { emptyChangeSet } from "../../src/domain/ChangeSet.js"
import { offline } from "../../src/domain/Node.js"
import type { Route } from "../../src/domain/Route.js"
import { node, route } from "../support/builders.js"

const T = Date.UTC(2026, 0, 1)
/** The table's sample row: router-a's primary for 10.0.0.0/24, approved by policy. */
const shown = (over: Partial<Route> = {}): Route =>
  route(1, "router-a", "10.0.0.0/24", {
    isPrimary: true,
    approvedBy: "policy",
    createdAt: T,
    updatedAt: T + 1500,
    ...over,
  })

describe("colour", () => {
  it("is on only for a terminal without NO_COLOR", () => {
    expect(colourWanted(true, {})).toBe(true)
    expect(colourWanted(true, { NO_COLOR: "" })).toBe(true)
    expect(colourWanted(true, { NO_COLOR: "1" })).toBe(false)
    expect(colourWanted(false, {})).toBe(false)
    expect(colourWanted(undefined, {})).toBe(false)
  })
  it("wraps in SGR codes only when enabled", () => {
    expect(makePalette(true).green("x")).toBe("\u001b[32mx\u001b[39m")
    expect(makePalette(false).green("x")).toBe("x")
    expect(stripAnsi(makePalette(true).bold(makePalette(true).red("x")))).toBe("x")
  })
})

describe("renderTable", () => {
  it("aligns columns two spaces apart, numbers right, no trailing spaces", () => {
    expect(
      renderTable(
        [{ header: "ID", align: "right" }, { header: "NAME" }, { header: "NOTE" }],
        [
          ["1", "alpha", "x"],
          ["100", "b", ""],
        ],
      ),
    ).toBe(" ID  NAME   NOTE\n  1  alpha  x\n100  b\n")
  })
  it("measures coloured cells by their visible width", () => {
    const p = makePalette(true)
    const out = renderTable([{ header: "A" }, { header: "B" }], [[p.green("yes"), "z"]])
    expect(stripAnsi(out)).toBe("A    B\nyes  z\n")
  })
})

describe("route output", () => {
  it("renders the table, exit routes marked as never elected", () => {
    const rows = [
      shown(),
      route(2, "exit-1", "::/0", {
        createdAt: T,
        updatedAt: T + 1500,
        isPrimary: false,
        approvedBy: null,
        enabled: false,
      }),
    ]
    expect(routeTable(rows, makePalette(false))).toBe(
      [
        "ID  NODE      PREFIX       ADVERTISED  ENABLED  PRIMARY  APPROVED BY  PRIORITY  UPDATED",
        " 1  router-a  10.0.0.0/24  yes         yes      yes      policy              0  2026-01-01T00:00:01Z",
        " 2  exit-1    ::/0         yes         no       exit     -                   0  2026-01-01T00:00:01Z",
        "",
      ].join("\n"),
    )
  })
})

describe("change output", () => {
  it("describes what changed on a route", () => {
    expect(routeDelta(null, shown())).toBe("created")
    expect(routeDelta(shown(), shown({ deletedAt: T }))).toBe("deleted")
    expect(routeDelta(shown(), shown({ enabled: false, approvedBy: null, isPrimary: false }))).toBe(
      "disabled, no longer primary",
    )
    expect(routeDelta(shown({ enabled: false, approvedBy: null }), shown({ approvedBy: "manual" }))).toBe(
      "enabled (manual)",
    )
    expect(routeDelta(shown(), shown({ priority: 5 }))).toBe("priority 0 → 5")
  })
  it("prints a line per route and per primary move", () => {
    const a = shown()
    const b = route(3, "router-b", "10.0.0.0/24", {
      approvedBy: "policy",
      createdAt: T,
      updatedAt: T + 1500,
    })
    const changes = {
      ...emptyChangeSet(4),
      routes: [
        { before: a, after: { ...a, enabled: false, approvedBy: null, isPrimary: false } },
        { before: b, after: { ...b, isPrimary: true } },
      ],
      primaries: [{ prefix: "10.0.0.0/24", before: 1, after: 3 }],
    }
    expect(changeText(changes, makePalette(false))).toBe(
      "route 1 10.0.0.0/24 on router-a: disabled, no longer primary\n10.0.0.0/24: primary router-a (route 1) → router-b (route 3)\n",
    )
    expect(changeText(emptyChangeSet(1), makePalette(false))).toBe("nothing changed\n")
  })
})

describe("progress", () => {
  it("draws a bar", () => {
    expect(progressLine(15, 60, "15/60 s")).toBe(`[${"#".repeat(8)}${".".repeat(22)}]  25%  15/60 s`)
    expect(progressLine(60, 60, "")).toBe(`[${"#".repeat(30)}] 100%  `)
  })
  it("draws on a terminal only", () => {
    const written: string[] = []
    const tty = makeProgress({ isTTY: true, write: (s) => written.push(s) }, 2)
    tty.update(1, "a")
    tty.update(1, "a")
    tty.finish()
    expect(written).toEqual([`\r\u001b[2K${progressLine(1, 2, "a")}`, "\r\u001b[2K"])
    const piped: string[] = []
    const pipe = makeProgress({ isTTY: false, write: (s) => piped.push(s) }, 2)
    pipe.update(1, "a")
    pipe.finish()
    expect(piped).toEqual([])
  })
})

describe("node output", () => {
  it("shows presence since when, expiry (expired or not) and live route counts; deleted nodes are left out", () => {
    const nodes = [
      node("b-never", { user: "", createdAt: T }),
      node("a-online", {
        createdAt: T,
        presence: { ...offline, sessions: 1, replicas: { "": 1 }, connectedAt: T, lastSeen: T },
      }),
      node("c-expired", {
        createdAt: T,
        expiresAt: T + 1000,
        presence: { ...offline, lastSeen: T, disconnectedAt: T + 5000 },
      }),
      node("d-expiring", { createdAt: T, expiresAt: T + 86_400_000, tags: ["tag:a", "tag:b"] }),
      node("e-deleted", { createdAt: T, deletedAt: T }),
    ]
    const routes = [
      { nodeId: "a-online", deletedAt: null },
      { nodeId: "a-online", deletedAt: null },
      { nodeId: "a-online", deletedAt: T },
      { nodeId: "c-expired", deletedAt: null },
    ]
    const summaries = nodeSummaries(nodes, routes, T + 10_000)
    expect(summaries.map((s) => [s.node.id, s.online, s.since, s.expired, s.routes])).toEqual([
      ["a-online", true, T, false, 2],
      ["b-never", false, null, false, 0],
      ["c-expired", false, T + 5000, true, 1],
      ["d-expiring", false, null, false, 0],
    ])
    expect(nodeTable(summaries, makePalette(false))).toBe(
      [
        "ID          USER    TAGS         STATUS                              EXPIRES                       ROUTES",
        "a-online    alice@  -            online since 2026-01-01T00:00:00Z   never                              2",
        "b-never     -       -            never connected                     never                              0",
        "c-expired   alice@  -            offline since 2026-01-01T00:00:05Z  expired 2026-01-01T00:00:01Z       1",
        "d-expiring  alice@  tag:a,tag:b  never connected                     2026-01-02T00:00:00Z               0",
        "",
      ].join("\n"),
    )
  })
})

describe("simulate summary", () => {
  // Regression: "prefixes left without a primary: 7" beside "primaries at the end: 4 of 4" read as a current count.
  it("tells counts over the run apart from the state at the end", () => {
    const text = summaryText(
      {
        nodes: 40,
        routers: 10,
        prefixes: 4,
        simulatedSeconds: 20,
        operations: { total: 175, connects: 53, disconnects: 31, advertisements: 30, ticks: 20 },
        elections: 5,
        failovers: 7,
        lost: 3,
        primariesAtEnd: 3,
        timings: { setupMs: 1, playMs: 2, p50Ms: 0.1, p95Ms: 0.2, maxMs: 0.3 },
      },
      "sqlite:/tmp/sim.db",
    )
    expect(text.split("\n").slice(2, 4)).toEqual([
      "over the run: 5 elections, 7 failovers, 3 losses (a prefix left with no primary)",
      "at the end: 3 of 4 prefixes have a primary, 1 without one",
    ])
  })
})
