/** ANSI colour, used only when the stream is a terminal and `NO_COLOR` is unset (https://no-color.org). */

/** Wraps text in SGR codes, or returns it as is when colour is off. @category models */
export interface Palette {
  readonly enabled: boolean
  readonly bold: (s: string) => string
  readonly dim: (s: string) => string
  readonly red: (s: string) => string
  readonly green: (s: string) => string
  readonly yellow: (s: string) => string
  readonly cyan: (s: string) => string
}

const sgr =
  (open: number, close: number) =>
  (s: string): string =>
    `\u001b[${open}m${s}\u001b[${close}m`

const same = (s: string): string => s

/** A palette that colours, or one that does nothing. @category constructors */
export const makePalette = (enabled: boolean): Palette =>
  enabled
    ? {
        enabled,
        bold: sgr(1, 22),
        dim: sgr(2, 22),
        red: sgr(31, 39),
        green: sgr(32, 39),
        yellow: sgr(33, 39),
        cyan: sgr(36, 39),
      }
    : { enabled, bold: same, dim: same, red: same, green: same, yellow: same, cyan: same }

/** Colour only on a terminal, and never when `NO_COLOR` is set to anything non-empty. @category predicates */
export const colourWanted = (
  isTTY: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
): boolean => isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")

// Matches the SGR sequences makePalette emits, for width computations.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

/** Text without colour codes. @category getters */
export const stripAnsi = (s: string): string => s.replace(ansi, "")
