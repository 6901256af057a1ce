/** The package version, read from `package.json` (two levels up from both `src/cli` and `dist/cli`). */
import { readFileSync } from "node:fs"

/** The version in the package's `package.json`, e.g. `0.1.0`. @category getters */
export const packageVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    readonly version?: unknown
  }
  return typeof pkg.version === "string" ? pkg.version : "unknown"
}
