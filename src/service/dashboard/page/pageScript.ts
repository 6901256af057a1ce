/**
 * The dashboard's script, plain ES2020 with no dependencies. It keeps the key
 * in local storage after it is entered once and sends it only as an
 * Authorization header. It reads `GET /v1/ha`, and follows `GET /v1/changes`
 * with fetch and a stream reader (an EventSource cannot send the header),
 * resuming with Last-Event-ID; every change event brings a fresh view. Data
 * goes into the page as text nodes only, never as markup.
 */

/** Served at `/dashboard.js`. Written without backticks or dollar-braces so it sits in a raw template. @category constants */
export const pageScript = String.raw`"use strict";
(function () {
  var storageKey = "tailnet-routes.apiKey";
  var $ = function (id) { return document.getElementById(id); };
  var key = localStorage.getItem(storageKey);
  var skew = 0;
  var lastEventId = null;
  var stream = null;
  var refreshTimer = null;
  var retryMs = 1000;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function setStatus(state, text) {
    var s = $("status");
    s.dataset.state = state;
    s.textContent = text;
  }

  function stop() {
    if (stream !== null) stream.abort();
    stream = null;
  }

  function askKey(message) {
    stop();
    setStatus("idle", "not connected");
    $("view").hidden = true;
    $("forget").hidden = true;
    $("key-form").hidden = false;
    $("key-error").textContent = message || "";
    $("key").focus();
  }

  function refused() {
    localStorage.removeItem(storageKey);
    key = null;
    askKey("The key was refused (unknown or expired).");
  }

  function refresh() {
    refreshTimer = null;
    fetch("/v1/ha", { headers: { Authorization: "Bearer " + key, Accept: "application/json" }, cache: "no-store" })
      .then(function (res) {
        if (res.status === 401) { refused(); return null; }
        if (!res.ok) throw new Error("GET /v1/ha answered " + res.status);
        return res.json();
      })
      .then(function (view) {
        if (view === null) return;
        skew = view.now - Date.now();
        render(view);
      })
      .catch(function (e) { setStatus("error", e.message); });
  }

  // At most one view a second however fast changes come: a view of a large tailnet costs the server.
  var lastRefresh = 0;
  function scheduleRefresh() {
    if (refreshTimer !== null) return;
    var wait = Math.max(50, lastRefresh + 1000 - Date.now());
    refreshTimer = setTimeout(function () { lastRefresh = Date.now(); refresh(); }, wait);
  }

  function member(m) {
    var span = el("span", "member");
    span.dataset.node = m.nodeId;
    span.dataset.route = String(m.routeId);
    span.dataset.reason = m.reason;
    span.title = m.text;
    span.append(el("span", "dot " + (m.online ? "online" : "offline")));
    span.append(el("span", "node", m.nodeId), " ", el("span", "route", "#" + m.routeId), " ");
    span.append(el("span", "reason", m.reason + (m.priority !== 0 ? " (priority " + m.priority + ")" : "")));
    span.append(el("span", "why", m.text.slice(m.text.indexOf(": ") + 2)));
    if (m.graceUntil !== null) {
      var g = el("span", "grace");
      g.dataset.until = String(m.graceUntil);
      span.append(g);
    }
    return span;
  }

  function cell(className, members, none) {
    var td = el("td", className);
    if (members.length === 0) td.append(el("span", "empty", none));
    members.forEach(function (m) { td.append(member(m)); });
    return td;
  }

  function clock(ms) {
    var t = el("time", null, new Date(ms).toLocaleTimeString());
    t.dateTime = new Date(ms).toISOString();
    return t;
  }

  function router(r) {
    return r === null ? "none" : (r.nodeId === null ? "?" : r.nodeId) + " #" + r.routeId;
  }

  function render(view) {
    $("version").textContent = "version " + view.version;
    var body = $("groups").tBodies[0];
    body.replaceChildren();
    view.groups.forEach(function (g) {
      var tr = el("tr");
      tr.dataset.prefix = g.prefix;
      tr.append(el("td", "prefix", g.prefix));
      var primary = cell("primary", g.primary === null ? [] : [g.primary], "no primary");
      if ((g.primary === null ? null : g.primary.routeId) !== g.storedPrimary) {
        primary.append(el("span", "due", "re-election due"));
      }
      tr.append(primary, cell("standbys", g.standbys, "none"), cell("ineligible", g.ineligible, "none"));
      body.append(tr);
    });
    $("no-groups").hidden = view.groups.length > 0;

    var exits = $("exit-nodes");
    exits.replaceChildren();
    view.exitNodes.forEach(function (n) {
      var li = el("li");
      li.dataset.node = n.nodeId;
      li.append(el("span", "dot " + (n.online ? "online" : "offline")), el("span", "node", n.nodeId), " ");
      li.append(el("span", "reason", n.serving ? "serving" : "advertised, not approved"));
      exits.append(li);
    });
    $("no-exit-nodes").hidden = view.exitNodes.length > 0;

    var list = $("failovers");
    list.replaceChildren();
    view.failovers.forEach(function (f) {
      var li = el("li");
      li.dataset.prefix = f.prefix;
      var kind = f.from === null ? "elected" : f.to === null ? "no primary" : "failover";
      li.append(clock(f.at), el("span", "kind", kind), el("span", "prefix", f.prefix), " ");
      var origin = f.origin.length > 16 ? f.origin.slice(0, 16) + "\u2026" : f.origin;
      li.append(router(f.from) + " \u2192 " + router(f.to) + " (" + origin + ", version " + f.version + ")");
      list.append(li);
    });
    $("no-failovers").hidden = view.failovers.length > 0;
    tick();
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll(".grace[data-until]").forEach(function (g) {
      var left = Number(g.dataset.until) - now;
      g.textContent = left > 0 ? "offline, grace ends in " + (left / 1000).toFixed(1) + " s" : "grace over, failing over";
    });
  }

  function onEvent(block) {
    var id = null;
    var event = "message";
    block.split("\n").forEach(function (line) {
      if (line === "" || line.charAt(0) === ":") return;
      var i = line.indexOf(":");
      var field = i < 0 ? line : line.slice(0, i);
      var value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "event") event = value;
    });
    if (id !== null) lastEventId = id;
    if (event === "change" || event === "reload") scheduleRefresh();
  }

  function follow() {
    var controller = new AbortController();
    stream = controller;
    var headers = { Authorization: "Bearer " + key, Accept: "text/event-stream" };
    if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
    var buffer = "";
    var decoder = new TextDecoder();
    function retry(reason) {
      if (controller.signal.aborted || stream !== controller) return;
      setStatus("error", reason + "; reconnecting");
      setTimeout(function () { if (stream === controller) follow(); }, retryMs);
      retryMs = Math.min(retryMs * 2, 15000);
    }
    fetch("/v1/changes", { headers: headers, signal: controller.signal, cache: "no-store" })
      .then(function (res) {
        if (res.status === 401) { refused(); return; }
        if (!res.ok || res.body === null) throw new Error("change stream answered " + res.status);
        setStatus("live", "live");
        retryMs = 1000;
        scheduleRefresh();
        var reader = res.body.getReader();
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) throw new Error("change stream ended");
            buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
            var cut;
            while ((cut = buffer.indexOf("\n\n")) >= 0) {
              onEvent(buffer.slice(0, cut));
              buffer = buffer.slice(cut + 2);
            }
            return pump();
          });
        }
        return pump();
      })
      .catch(function (e) { retry(e.message); });
  }

  function start() {
    $("key-form").hidden = true;
    $("view").hidden = false;
    $("forget").hidden = false;
    setStatus("connecting", "connecting");
    refresh();
    follow();
  }

  $("key-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var entered = $("key").value.trim();
    if (entered === "") return;
    key = entered;
    localStorage.setItem(storageKey, key);
    $("key").value = "";
    start();
  });
  $("forget").addEventListener("click", function () {
    localStorage.removeItem(storageKey);
    key = null;
    askKey("");
  });
  setInterval(tick, 250);
  if (key !== null) start(); else askKey("");
})();
`
