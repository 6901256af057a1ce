/** The dashboard's HTML: a key form, the HA groups table, exit nodes and the failover timeline; filled by `pageScript`. */

/** Served at `/`. @category constants */
export const pageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tailnet-routes</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>tailnet-routes</h1>
  <span id="status" class="status" data-state="idle">not connected</span>
  <span id="version" class="version"></span>
  <button id="forget" type="button" hidden>Forget key</button>
</header>
<form id="key-form" hidden>
  <label for="key">API key</label>
  <input id="key" name="key" type="password" autocomplete="off" spellcheck="false" placeholder="trk_…" required>
  <button type="submit">Open</button>
  <p id="key-error" class="error" role="alert"></p>
  <p class="hint">Create one with <code>tailnet-routes apikeys create</code>. It stays in this browser (local storage) and is sent only as an Authorization header.</p>
</form>
<main id="view" hidden>
  <section>
    <h2>HA groups</h2>
    <table id="groups">
      <thead><tr><th>Prefix</th><th>Primary</th><th>Standbys</th><th>Not eligible</th></tr></thead>
      <tbody></tbody>
    </table>
    <p id="no-groups" class="empty" hidden>No subnet routes yet.</p>
  </section>
  <section>
    <h2>Exit nodes</h2>
    <ul id="exit-nodes" class="plain"></ul>
    <p id="no-exit-nodes" class="empty" hidden>No node advertises the exit pair.</p>
  </section>
  <section>
    <h2>Recent failovers</h2>
    <ol id="failovers" class="plain"></ol>
    <p id="no-failovers" class="empty" hidden>None since the log's oldest entry.</p>
  </section>
</main>
</body>
</html>
`
