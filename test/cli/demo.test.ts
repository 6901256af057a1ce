import { execFile } from "node:child_process"
import { existsSync } from "node:fs"
import path from "node:path"
import { expect, it } from "vitest"
import { root } from "./support.js"

const runDemo = (): Promise<{ code: number; stdout: string; stderr: string; ms: number }> =>
  new Promise((resolve) => {
    const started = Date.now()
    const { KEEP_DEMO_DB: _, ...env } = process.env
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "demo/demo.ts")],
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : Number(error.code ?? -1),
          stdout,
          stderr,
          ms: Date.now() - started,
        }),
    )
  })

it("tells the story: election, failover after grace, no flap-back, exit pair, 4via6, ephemeral logout, a second replica", async () => {
  const { code, stdout, stderr, ms } = await runDemo()
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" })
  expect(ms).toBeLessThan(60_000)
  const lines = stdout.split("\n")
  expect(lines.filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/ {2}\[.*\]$/, ""))).toEqual([
    "1. Three routers advertise 10.0.0.0/24",
    "2. The autoApprovers policy approves two of them",
    "3. router-a goes offline",
    "4. The 15 s grace period ends: the standby takes over",
    "5. router-a comes back and does not take the role back",
    "6. An exit node pair appears",
    "7. A 4via6 site route is added and approved by hand",
    "8. An ephemeral node serves 10.2.0.0/24, router-b stands by",
    "9. The ephemeral primary logs out",
    "10. A second server replica on the same file disables router-b's route",
  ])
  expect(lines.filter((l) => l.startsWith("→ "))).toEqual([
    "→ primary of 10.0.0.0/24: none — nothing is approved yet, so nothing is routed",
    "→ primary of 10.0.0.0/24: router-a — the oldest of the two approved routes; router-c (carol@) is not in group:netops",
    "→ primary of 10.0.0.0/24: router-a — it was primary and is still eligible (sticky) (disconnected, within grace until 2026-01-01T09:00:19.000Z)",
    "→ primary of 10.0.0.0/24: router-b — router-a stayed away past its grace, so the next eligible route took over",
    "→ primary of 10.0.0.0/24: router-b — router-a is standby: outranks the primary, but the primary stays while it is eligible",
    "→ exit routes are approved by exitNode (tag:exit) and never elected: served by exit-1 and exit-2",
    "→ primary of fd7a:115c:a1e0:b1a:0:7:a01:100/120: site-7 — site 7's 10.1.1.0/24, an ordinary IPv6 route to the election",
    "→ primary of 10.2.0.0/24: eph-1 — it advertised first, so its route is the older one",
    "→ primary of 10.2.0.0/24: router-b — eph-1's routes were deleted at once, with no grace period",
    "→ primary of 10.0.0.0/24: router-a — server-2 disabled router-b's route and elected router-a; server-1 heard it as version 29 from server-2",
  ])
  // The last table, whole: the ephemeral node's row is gone and router-b holds 10.2.0.0/24.
  const last = stdout.slice(stdout.lastIndexOf("9. The ephemeral primary logs out"))
  expect(last.split("\n").slice(1, 11).join("\n")).toBe(
    [
      "ID  NODE      PREFIX                              ADVERTISED  ENABLED  PRIMARY  APPROVED BY  UPDATED",
      " 1  router-a  10.0.0.0/24                         yes         yes      no       policy       09:00:19",
      " 2  router-b  10.0.0.0/24                         yes         yes      yes      policy       09:00:19",
      " 3  router-c  10.0.0.0/24                         yes         no       no       -            09:00:02",
      " 4  exit-1    0.0.0.0/0                           yes         yes      exit     policy       09:00:21",
      " 5  exit-1    ::/0                                yes         yes      exit     policy       09:00:21",
      " 6  exit-2    0.0.0.0/0                           yes         yes      exit     policy       09:00:21",
      " 7  exit-2    ::/0                                yes         yes      exit     policy       09:00:21",
      " 8  site-7    fd7a:115c:a1e0:b1a:0:7:a01:100/120  yes         yes      yes      manual       09:00:22",
      "10  router-b  10.2.0.0/24                         yes         yes      yes      policy       09:00:25",
    ].join("\n"),
  )
  // Not a terminal: no colour codes. And the temp database is gone.
  expect(stdout.includes("\u001b[")).toBe(false)
  const file = /stored in (\S+)/.exec(stdout)?.[1]
  expect(file).toMatch(/demo\.db$/)
  expect(existsSync(file!)).toBe(false)
})
