/**
 * `npm run demo`: the story of tailnet-routes in a few seconds, on a fresh
 * SQLite file, through the Promise facade with a manual clock (so the grace
 * period passes at once and every run prints the same story). Each step
 * prints the route table and one line of explanation.
 */
import { mkdtempSync, rmSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { Result } from "effect"
import { colourWanted, makePalette } from "../src/cli/colour.js"
import { renderTable } from "../src/cli/table.js"
import {
  type ChangeJson,
  createManualClock,
  createRouteManager,
  mapVia,
  parsePrefixUnsafe,
  type RouteJson,
} from "../src/index.js"

const p = makePalette(colourWanted(process.stdout.isTTY, process.env))
const dir = mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-demo-"))
const file = path.join(dir, "demo.db")
const GRACE_MS = 15_000
const clock = createManualClock(Date.UTC(2026, 0, 1, 9, 0, 0))

// alice@ and bob@ run the network; carol@ is not trusted with routes. Exit nodes are tagged.
const policy = {
  groups: { "group:netops": ["alice@", "bob@"] },
  autoApprovers: { routes: { "10.0.0.0/8": ["group:netops"] }, exitNode: ["tag:exit"] },
}

const manager = await createRouteManager({
  store: { sqlite: file },
  clock,
  options: { gracePeriodMs: GRACE_MS },
  replicaId: "server-1",
})

const time = (ms: number): string => new Date(ms).toISOString().slice(11, 19)

const table = (routes: ReadonlyArray<RouteJson>): string =>
  renderTable(
    [
      { header: "ID", align: "right" },
      { header: "NODE" },
      { header: "PREFIX" },
      { header: "ADVERTISED" },
      { header: "ENABLED" },
      { header: "PRIMARY" },
      { header: "APPROVED BY" },
      { header: "UPDATED" },
    ],
    routes.map((r) => [
      String(r.id),
      r.nodeId,
      r.prefix,
      r.advertised ? "yes" : "no",
      r.enabled ? "yes" : "no",
      r.prefix.endsWith("/0") ? "exit" : r.isPrimary ? p.green(p.bold("yes")) : "no",
      r.approvedBy ?? "-",
      time(r.updatedAt),
    ]),
    p.bold,
  )

let stepNo = 0
const step = async (title: string, explain: () => Promise<string>): Promise<void> => {
  stepNo++
  const routes = await manager.listRoutes()
  const line = await explain()
  process.stdout.write(`\n${p.bold(`${stepNo}. ${title}`)}  ${p.dim(`[${time(clock.now())}]`)}\n`)
  process.stdout.write(routes.length === 0 ? "(no routes)\n" : table(routes))
  process.stdout.write(`${p.cyan("→")} ${line}\n`)
}

/** The primary's node of a prefix and the core's reason for it, from `explain`. */
const primaryOf = async (prefix: string): Promise<{ node: string | null; why: string }> => {
  const e = await manager.explain(prefix)
  const c = e.candidates.find((x) => x.route.id === e.primary)
  return c === undefined ? { node: null, why: "no route is eligible" } : { node: c.route.nodeId, why: c.text }
}

const LAN = "10.0.0.0/24"
const tick = (ms: number): void => clock.advance(ms)

try {
  process.stdout.write(`${p.bold("tailnet-routes demo")}: one tailnet, stored in ${file}\n`)

  for (const [id, user] of [
    ["router-a", "alice@"],
    ["router-b", "bob@"],
    ["router-c", "carol@"],
  ] as const) {
    await manager.upsertNode({ id, user })
    await manager.connect(id)
    await manager.advertise(id, [LAN])
    tick(1000)
  }
  await step(`Three routers advertise ${LAN}`, async () => {
    const { node } = await primaryOf(LAN)
    return `primary of ${LAN}: ${node ?? "none"} — nothing is approved yet, so nothing is routed`
  })

  await manager.setPolicy(policy)
  await step("The autoApprovers policy approves two of them", async () => {
    const { node } = await primaryOf(LAN)
    return `primary of ${LAN}: ${node} — the oldest of the two approved routes; router-c (carol@) is not in group:netops`
  })

  tick(1000)
  await manager.disconnect("router-a")
  await step("router-a goes offline", async () => {
    const { node, why } = await primaryOf(LAN)
    return `primary of ${LAN}: ${node} — ${why.replace("primary: ", "")}`
  })

  tick(GRACE_MS)
  await manager.tick()
  await step(`The ${GRACE_MS / 1000} s grace period ends: the standby takes over`, async () => {
    const { node } = await primaryOf(LAN)
    return `primary of ${LAN}: ${node} — router-a stayed away past its grace, so the next eligible route took over`
  })

  tick(1000)
  await manager.connect("router-a")
  await step("router-a comes back and does not take the role back", async () => {
    const { node } = await primaryOf(LAN)
    const e = await manager.explain(LAN)
    const a = e.candidates.find((c) => c.route.nodeId === "router-a")
    return `primary of ${LAN}: ${node} — router-a is ${a?.text}`
  })

  tick(1000)
  for (const id of ["exit-1", "exit-2"]) {
    await manager.upsertNode({ id, user: "bob@", tags: ["tag:exit"] })
    await manager.connect(id)
    await manager.advertise(id, ["0.0.0.0/0", "::/0"])
  }
  await step("An exit node pair appears", async () => {
    const serving: string[] = []
    for (const id of ["exit-1", "exit-2"]) if ((await manager.servedRoutes(id)).length === 2) serving.push(id)
    return `exit routes are approved by exitNode (tag:exit) and never elected: served by ${serving.join(" and ")}`
  })

  tick(1000)
  const via = mapVia(7, parsePrefixUnsafe("10.1.1.0/24"))
  if (Result.isFailure(via)) throw via.failure
  const viaText = via.success.text
  await manager.upsertNode({ id: "site-7", user: "carol@" })
  await manager.connect("site-7")
  await manager.advertise("site-7", [viaText])
  await manager.approveRoutes("site-7", [viaText])
  await step("A 4via6 site route is added and approved by hand", async () => {
    const { node } = await primaryOf(viaText)
    return `primary of ${viaText}: ${node} — site 7's 10.1.1.0/24, an ordinary IPv6 route to the election`
  })

  tick(1000)
  const EPH = "10.2.0.0/24"
  await manager.upsertNode({ id: "eph-1", user: "bob@", ephemeral: true })
  await manager.connect("eph-1")
  await manager.advertise("eph-1", [EPH])
  tick(1000)
  await manager.advertise("router-b", [LAN, EPH])
  await step(`An ephemeral node serves ${EPH}, router-b stands by`, async () => {
    const { node } = await primaryOf(EPH)
    return `primary of ${EPH}: ${node} — it advertised first, so its route is the older one`
  })

  tick(1000)
  await manager.logoutEphemeral("eph-1")
  await step("The ephemeral primary logs out", async () => {
    const { node } = await primaryOf(EPH)
    return `primary of ${EPH}: ${node} — eph-1's routes were deleted at once, with no grace period`
  })

  // A second server process on the same file (a replica): what one commits, the other hears.
  const second = await createRouteManager({
    store: { sqlite: file, pollIntervalMs: 100 },
    clock,
    options: { gracePeriodMs: GRACE_MS },
    replicaId: "server-2",
  })
  const heard: ChangeJson[] = []
  const stop = manager.subscribe((c) => heard.push(c))
  const [lanOfB] = await second.nodeRoutes("router-b")
  await second.disableRoute(lanOfB!.id)
  // server-1 reads the file's version every 100 ms of its clock; give it a poll, then real time to fold it in.
  tick(200)
  for (let waited = 0; !heard.some((c) => c.origin === "server-2") && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  stop()
  await second.close()
  await step("A second server replica on the same file disables router-b's route", async () => {
    const { node } = await primaryOf(LAN)
    const change = heard.find((c) => c.origin === "server-2")
    return `primary of ${LAN}: ${node} — server-2 disabled router-b's route and elected router-a; server-1 heard it as version ${change?.version} from server-2`
  })

  process.stdout.write(
    process.env.KEEP_DEMO_DB === undefined
      ? `\n${p.bold("done")} (run with KEEP_DEMO_DB=1 to keep the database and try the CLI on it)\n`
      : // Runnable as printed from the checkout: `npm install` builds dist (prepare) and npx finds the bin.
        `\n${p.bold("done")}: try ${p.cyan(`npx tailnet-routes --db sqlite:${file} explain ${LAN}`)}\n`,
  )
} finally {
  await manager.close()
  // Keep the file when asked, so the CLI can be tried on it.
  if (process.env.KEEP_DEMO_DB === undefined) rmSync(dir, { recursive: true, force: true })
}
