/**
 * Policy preview (issue 12): `previewPolicy` shows the approvals a policy
 * change would grant and revoke and the primaries that would move, changes
 * nothing, and matches what `setPolicy` then commits.
 */
import { afterEach, describe, expect, it } from "vitest"
import { createManualClock, createRouteManager, type TailnetRouteManager } from "../../src/facade/index.js"

let open: TailnetRouteManager[] = []
afterEach(async () => {
  for (const m of open) await m.close()
  open = []
})

const ops = {
  autoApprovers: { routes: { "10.0.0.0/8": ["group:ops"] } },
  groups: { "group:ops": ["alice@"] },
}

const start = async () => {
  const m = await createRouteManager({ store: "memory", clock: createManualClock(1_000), policy: ops })
  open.push(m)
  for (const id of ["a", "b"]) {
    await m.upsertNode({ id, user: "alice@" })
    await m.connect(id)
    await m.advertise(id, ["10.0.0.0/24"])
  }
  await m.upsertNode({ id: "c", user: "carol@" })
  await m.connect("c")
  await m.advertise("c", ["10.1.0.0/24"])
  return m
}

describe("previewPolicy", () => {
  it("an empty policy would revoke every policy approval and leave the prefix without a primary; nothing changes until setPolicy", async () => {
    const m = await start()
    const before = await m.listRoutes()
    const preview = await m.previewPolicy({})
    expect(preview.revoked).toEqual([
      { routeId: 1, nodeId: "a", prefix: "10.0.0.0/24" },
      { routeId: 2, nodeId: "b", prefix: "10.0.0.0/24" },
    ])
    expect(preview.granted).toEqual([])
    expect(preview.primaries).toEqual([{ prefix: "10.0.0.0/24", before: 1, after: null }])
    expect(await m.listRoutes()).toEqual(before)
    const committed = await m.setPolicy({})
    expect(committed.routes).toEqual(preview.changes.routes)
    expect(committed.primaries).toEqual(preview.primaries)
  })

  it("a wider policy (as HuJSON text) would grant carol's route and elect it", async () => {
    const m = await start()
    const text = `{
      // carol joins ops
      "autoApprovers": { "routes": { "10.0.0.0/8": ["group:ops"] } },
      "groups": { "group:ops": ["alice@", "carol@"] },
    }`
    const preview = await m.previewPolicy(text)
    expect(preview.granted).toEqual([{ routeId: 3, nodeId: "c", prefix: "10.1.0.0/24" }])
    expect(preview.revoked).toEqual([])
    expect(preview.primaries).toEqual([{ prefix: "10.1.0.0/24", before: null, after: 3 }])
    expect((await m.listRoutes({ nodeId: "c" }))[0]!.enabled).toBe(false)
  })

  it("an invalid policy is INVALID_POLICY, as setPolicy would say", async () => {
    const m = await start()
    await expect(m.previewPolicy({ autoApprovers: { routes: { "10.0.0.1/8": [] } } })).rejects.toMatchObject({
      code: "INVALID_POLICY",
    })
  })
})
