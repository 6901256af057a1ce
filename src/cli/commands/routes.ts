/** `routes list|enable|disable|delete|approve|priority`: see and steer route rows. */
import { Result } from "effect"
import { filterRoutes, type RouteFilter } from "../../app/RouteFilter.js"
import type { ChangeSet } from "../../domain/ChangeSet.js"
import { RouteIndex } from "../../domain/RouteIndex.js"
import {
  approveRoutes,
  deleteRoutes,
  disableRoutes,
  enableRoutes,
  setRoutePriority,
} from "../../domain/transitions/routeCommands.js"
import { routesToJson } from "../../facade/toJson.js"
import { integerArg, stringOption } from "../args.js"
import { commandErrorOf } from "../CliError.js"
import { type CommandContext, type CommandRun, withStore } from "../CommandContext.js"
import { printChanges } from "../changeOutput.js"
import { prefixArg } from "../prefixArg.js"
import { routeTable } from "../routeOutput.js"
import { transact } from "../transact.js"

const routeIds = (ctx: CommandContext, texts: ReadonlyArray<string>): number[] =>
  texts.map((t) => integerArg(t, "route id", 1, Number.MAX_SAFE_INTEGER, ctx.command.name))

const write =
  <E extends { readonly message: string }>(
    decide: (ctx: CommandContext) => (index: RouteIndex, now: number) => Result.Result<ChangeSet, E>,
  ): CommandRun =>
  async (ctx) => {
    // Arguments are checked before the store is opened: a usage error touches nothing.
    const step = decide(ctx)
    await withStore(ctx, false, async (session) => {
      const { changes } = await transact(session, (index) => step(index, ctx.io.now()))
      printChanges(ctx, changes)
    })
  }

/** `routes list [--node N] [--prefix P]`. @category constructors */
export const routesList: CommandRun = async (ctx) => {
  const node = stringOption(ctx.options, "node")
  const prefix = stringOption(ctx.options, "prefix")
  const filter: RouteFilter = {
    ...(node === undefined ? {} : { nodeId: node }),
    ...(prefix === undefined ? {} : { prefix: prefixArg(prefix, ctx.command.name).text }),
  }
  await withStore(ctx, false, async (session) => {
    const index = RouteIndex.from(await session.snapshot())
    const listed = filterRoutes(index, filter)
    if (Result.isFailure(listed)) throw commandErrorOf(listed.failure)
    const routes = listed.success
    if (ctx.json) ctx.out(`${JSON.stringify(routesToJson(routes), null, 2)}\n`)
    else if (routes.length === 0) ctx.out("no routes\n")
    else ctx.out(routeTable(routes, ctx.palette))
  })
}

/** `routes enable ID...`. @category constructors */
export const routesEnable: CommandRun = write((ctx) => {
  const ids = routeIds(ctx, ctx.args)
  return (index, now) => enableRoutes(index, { routeIds: ids }, now, ctx.routeOptions)
})

/** `routes disable ID...`. @category constructors */
export const routesDisable: CommandRun = write((ctx) => {
  const ids = routeIds(ctx, ctx.args)
  return (index, now) => disableRoutes(index, { routeIds: ids }, now, ctx.routeOptions)
})

/** `routes delete ID...`. @category constructors */
export const routesDelete: CommandRun = write((ctx) => {
  const ids = routeIds(ctx, ctx.args)
  return (index, now) => deleteRoutes(index, { routeIds: ids }, now, ctx.routeOptions)
})

/** `routes approve NODE PREFIX...`. @category constructors */
export const routesApprove: CommandRun = write((ctx) => {
  const [nodeId, ...texts] = ctx.args
  const prefixes = texts.map((t) => prefixArg(t, ctx.command.name).text)
  return (index, now) => approveRoutes(index, { nodeId: nodeId!, prefixes }, now, ctx.routeOptions)
})

/** `routes priority ID N`. @category constructors */
export const routesPriority: CommandRun = write((ctx) => {
  const [id] = routeIds(ctx, ctx.args.slice(0, 1))
  const priority = integerArg(ctx.args[1]!, "priority", -1_000_000_000, 1_000_000_000, ctx.command.name)
  return (index, now) => setRoutePriority(index, { routeIds: [id!] }, priority, now, ctx.routeOptions)
})
