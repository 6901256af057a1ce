#!/usr/bin/env node
/** The `tailnet-routes` executable: runs the CLI on this process's argv and streams. */
import { runCli } from "./cli.js"

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString("utf8")
}

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  readStdin,
  now: () => Date.now(),
})
