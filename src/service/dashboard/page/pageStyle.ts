/** The dashboard's stylesheet: system fonts, light and dark, status colours. */

/** Served at `/dashboard.css`. @category constants */
export const pageStyle = `:root { color-scheme: light dark; --ok: #1a7f37; --warn: #b35900; --bad: #c62828; --muted: #6e7781; --line: #d0d7de; }
@media (prefers-color-scheme: dark) { :root { --ok: #3fb950; --warn: #f0883e; --bad: #f85149; --muted: #8b949e; --line: #30363d; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; }
header { display: flex; align-items: baseline; gap: 1rem; border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
h1 { font-size: 1.25rem; margin: 0; }
h2 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
code, .prefix, .route, .version { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.status::before { content: "●"; margin-right: .3rem; color: var(--muted); }
.status[data-state="live"]::before { color: var(--ok); }
.status[data-state="error"]::before { color: var(--bad); }
.version { color: var(--muted); }
#forget { margin-left: auto; }
form { margin: 2rem 0; display: grid; gap: .5rem; max-width: 32rem; }
input { font: inherit; padding: .4rem .5rem; }
button { font: inherit; padding: .3rem .8rem; cursor: pointer; }
.error { color: var(--bad); min-height: 1.2em; margin: 0; }
.hint, .empty { color: var(--muted); }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th:nth-child(1) { width: 16%; } th:nth-child(2) { width: 32%; } th:nth-child(3), th:nth-child(4) { width: 26%; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; color: var(--muted); }
.member { display: block; }
.member + .member { margin-top: .2rem; }
.node { font-weight: 600; }
.route, .reason { color: var(--muted); }
.why { display: block; color: var(--muted); font-size: .85em; margin-left: 1.1rem; }
.dot::before { content: "●"; margin-right: .3rem; }
.dot.online::before { color: var(--ok); }
.dot.offline::before { color: var(--bad); }
.grace { color: var(--warn); font-weight: 600; margin-left: .3rem; }
.due { color: var(--warn); display: block; }
ul.plain, ol.plain { list-style: none; padding: 0; margin: 0; }
ol.plain li, ul.plain li { padding: .25rem 0; border-bottom: 1px solid var(--line); }
time { color: var(--muted); font-variant-numeric: tabular-nums; margin-right: .5rem; }
.kind { font-weight: 600; margin-right: .4rem; }
`
