/** Helpers for the CLI tests: run the CLI (in-process, or as a subprocess), and seed a store with a small known tailnet. */
import { execFile } from "node:child_process"
import { mkdtempSync } from "node:fs"
import os from "node:os"
import path from "node:path"
import { fileURLToPath } from "node:url"
import type { Result } from "effect"
import { runCli } from "../../src/cli/cli.js"
import { openSession } from "../../src/cli/session.js"
import { parseStoreSpec } from "../../src/cli/storeSpec.js"
import { transact } from "../../src/cli/transact.js"
import type { ChangeSet } from "../../src/domain/ChangeSet.js"
import { defaultOptions } from "../../src/domain/Options.js"
import type { RouteIndex } from "../../src/domain/RouteIndex.js"
import { advertise } from "../../src/domain/transitions/advertise.js"
import { connectNode, disconnectNode, upsertNode } from "../../src/domain/transitions/nodeCommands.js"
import { enableRoutes } from "../../src/domain/transitions/routeCommands.js"

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..")

/** What a CLI run left behind. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The environment a CLI run sees: this process's, without a terminal's NO_COLOR and without DATABASE_URL, plus `env`. */
const cliEnv = (env: Record<string, string>): Record<string, string | undefined> => {
  const { DATABASE_URL: _, NO_COLOR: __, ...rest } = process.env
  return { ...rest, ...env }
}

/**
 * Runs `tailnet-routes ARGS` in this process through the CLI's function entry
 * (`runCli`, which `src/cli/main.ts` wraps): same argv parsing, commands,
 * output and exit code as the executable, without starting a process per
 * case. Output is not a terminal; `input` is what stdin holds.
 */
export const cli = async (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> => {
  let stdout = ""
  let stderr = ""
  const code = await runCli(args, {
    stdout: {
      write: (text: string) => {
        stdout += text
      },
      isTTY: false,
    },
    stderr: {
      write: (text: string) => {
        stderr += text
      },
      isTTY: false,
    },
    env: cliEnv(env),
    readStdin: async () => input ?? "",
    now: () => Date.now(),
  })
  return { code, stdout, stderr }
}

/**
 * Runs `tailnet-routes ARGS` as a real subprocess (the executable's source
 * through tsx), for the few tests that are about the process itself: exit
 * codes, stdin, streams. Everything else uses the in-process `cli`.
 */
export const cliProcess = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> =>
  new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", path.join(root, "src/cli/main.ts"), ...args],
      { cwd: root, env: cliEnv(env), timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1
        resolve({ code, stdout, stderr })
      },
    )
    if (input !== undefined) child.stdin?.end(input)
    else child.stdin?.end()
  })

/** A fresh temp directory. */
export const tempDir = (): string => mkdtempSync(path.join(os.tmpdir(), "tailnet-routes-cli-"))

/** 2026-01-01T00:00:00Z: every seeded row is stamped from here. */
export const T0 = Date.UTC(2026, 0, 1)

type Step = (index: RouteIndex, now: number) => Result.Result<ChangeSet, { readonly message: string }>

const seedSteps: ReadonlyArray<Step> = [
  (v, t) => upsertNode(v, { id: "router-a", user: "alice@" }, t, defaultOptions),
  (v, t) => upsertNode(v, { id: "router-b", user: "alice@" }, t, defaultOptions),
  (v, t) => upsertNode(v, { id: "router-c", user: "bob@", tags: ["tag:router"] }, t, defaultOptions),
  (v, t) => upsertNode(v, { id: "exit-1", user: "bob@" }, t, defaultOptions),
  (v, t) =>
    advertise(v, { nodeId: "router-a", routes: ["10.0.0.0/24", "192.168.0.0/16"] }, t, defaultOptions),
  (v, t) =>
    advertise(v, { nodeId: "router-b", routes: ["10.0.0.0/24", "192.168.1.0/24"] }, t, defaultOptions),
  (v, t) => advertise(v, { nodeId: "router-c", routes: ["10.0.0.0/24", "100.64.0.0/10"] }, t, defaultOptions),
  (v, t) => advertise(v, { nodeId: "exit-1", routes: ["0.0.0.0/0", "::/0"] }, t, defaultOptions),
  (v, t) => connectNode(v, { nodeId: "router-a" }, t, defaultOptions),
  (v, t) => connectNode(v, { nodeId: "router-b" }, t, defaultOptions),
  (v, t) => connectNode(v, { nodeId: "exit-1" }, t, defaultOptions),
  // router-c connected once, then left long ago: offline.
  (v, t) => connectNode(v, { nodeId: "router-c" }, t, defaultOptions),
  (v, t) => disconnectNode(v, { nodeId: "router-c" }, t, defaultOptions),
  (v, t) => enableRoutes(v, { routeIds: [1, 3, 5] }, t, defaultOptions),
]

/**
 * Seeds the store behind `db` (a `--db` value) with a known tailnet, every
 * step one second after the last, starting at `T0`:
 *
 * | id | node | prefix | enabled | primary |
 * | 1 | router-a | 10.0.0.0/24 | yes | yes |
 * | 2 | router-a | 192.168.0.0/16 | no | no |
 * | 3 | router-b | 10.0.0.0/24 | yes | no |
 * | 4 | router-b | 192.168.1.0/24 | no | no |
 * | 5 | router-c | 10.0.0.0/24 | yes | no (offline) |
 * | 6 | router-c | 100.64.0.0/10 | no | no |
 * | 7, 8 | exit-1 | 0.0.0.0/0, ::/0 | no | - |
 */
export const seed = async (db: string): Promise<void> => {
  const session = await openSession(parseStoreSpec(db), true)
  try {
    let t = T0
    for (const step of seedSteps) {
      const now = t
      await transact(session, (index) => step(index, now))
      t += 1000
    }
  } finally {
    await session.close()
  }
}
