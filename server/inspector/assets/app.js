// The inspector's script: it reads the control API (paths on <body data-*>), builds every node
// with textContent (no HTML from the stub is ever parsed), and follows the journal's stream.
"use strict";

const paths = document.body.dataset;
const $ = (selector) => document.querySelector(selector);

// el builds an element: el("td", {className: "ok"}, "text", child, ...).
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

async function call(url, options) {
  const response = await fetch(url, options);
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) {
    throw new Error(body && body.detail ? body.errorCode + ": " + body.detail : "HTTP " + response.status);
  }
  return body;
}

// ---- Journal ----

const maxRows = 500;
let entries = []; // newest first
let filter = {operationId: "", status: "", since: ""};
let selected = null;

function passes(e) {
  if (filter.operationId && e.operationId !== filter.operationId) return false;
  if (filter.status) {
    const status = String(e.status);
    if (filter.status.endsWith("xx") ? status[0] !== filter.status[0] : status !== filter.status) return false;
  }
  return !filter.since || Date.parse(e.time) >= Date.parse(filter.since);
}

function verdictCell(v) {
  if (!v.checked) return el("td", {className: "unchecked", title: v.note || ""}, "– " + (v.note || "not checked"));
  if (v.passed) return el("td", {className: "ok"}, "✓ keeps the contract");
  const rules = (v.violations || []).map((x) => x.field + ": " + x.description);
  const head = v.errorCode ? v.errorCode + (rules.length ? " – " : ": " + v.detail) : "";
  return el("td", {className: "fail"}, "✗ " + head + rules.join("; "));
}

function row(e) {
  const tr = el("tr", {},
    el("td", {}, String(e.id)),
    el("td", {title: e.time}, e.time.slice(11, 23)),
    el("td", {}, e.method + " " + e.path + (e.query ? "?" + e.query : "")),
    el("td", {className: "status-" + String(e.status)[0]}, String(e.status) + (e.errorCode ? " " + e.errorCode : "")),
    el("td", {}, e.operationId || "–"),
    el("td", {}, e.caller || "–"),
    el("td", {}, e.latencyMs.toFixed(1)),
    verdictCell(e.verdicts.request),
    verdictCell(e.verdicts.response));
  tr.dataset.id = e.id;
  tr.dataset.operation = e.operationId || "";
  if (e.id === selected) tr.classList.add("selected");
  tr.addEventListener("click", () => openEntry(e.id));
  return tr;
}

function renderJournal() {
  $("#requests tbody").replaceChildren(...entries.map(row));
  $("#journal-empty").hidden = entries.length > 0;
  const operations = new Set(entries.map((e) => e.operationId).filter(Boolean));
  $("#operations").replaceChildren(...[...operations].sort().map((op) => el("option", {value: op})));
}

// loadJournal reads the journal into the list; it resolves to false when the stub keeps none.
async function loadJournal() {
  const query = new URLSearchParams({limit: String(maxRows)});
  for (const [name, value] of Object.entries(filter)) if (value) query.set(name, value);
  try {
    const page = await call(paths.requests + "?" + query);
    if (page.size === 0) {
      journalOff();
      return false;
    }
    const listed = page.results;
    // What the stream brought while the list was on its way is newer than the list: kept.
    const newest = listed.length ? listed[0].id : 0;
    entries = [...entries.filter((e) => e.id > newest && passes(e)), ...listed].slice(0, maxRows);
    $("#filter-error").value = "";
  } catch (err) {
    $("#filter-error").value = err.message;
  }
  renderJournal();
  return true;
}

function message(m, first) {
  const lines = [first];
  for (const [name, values] of Object.entries(m.headers).sort()) {
    for (const value of values) lines.push(name + ": " + value);
  }
  lines.push("");
  if (m.bodyUnread) lines.push("(the stub answered before it read the body)");
  lines.push(m.body);
  if (m.bodyTruncated) lines.push("… (" + m.bodyBytes + " bytes; the journal keeps the first 64 KiB)");
  return lines.join("\n");
}

function verdictItem(name, v) {
  const li = el("li", {className: !v.checked ? "unchecked" : v.passed ? "ok" : "fail"});
  if (!v.checked) {
    li.append(name + ": not checked, " + v.note);
    return li;
  }
  li.append(name + (v.passed ? ": keeps the contract" : ": breaks the contract" + (v.errorCode ? " (" + v.errorCode + ")" : "")));
  const rules = (v.violations || []).map((x) => el("li", {}, x.field + ": " + x.description));
  if (v.detail && !rules.length) rules.push(el("li", {}, v.detail));
  if (rules.length) li.append(el("ul", {}, ...rules));
  return li;
}

async function openEntry(id) {
  selected = id;
  for (const tr of document.querySelectorAll("#requests tbody tr")) tr.classList.toggle("selected", Number(tr.dataset.id) === id);
  let x;
  try {
    x = await call(paths.requests + "/" + id);
  } catch (err) {
    $("#detail-title").textContent = "#" + id + ": " + err.message;
    return;
  }
  const e = x.entry;
  $("#detail-title").textContent = "#" + e.id + " " + e.method + " " + e.path + " → " + e.status + (e.operationId ? " (" + e.operationId + ")" : "") + (e.fault ? ", fault " + e.fault : "");
  $("#detail-request").textContent = message(x.request, e.method + " " + e.path + (e.query ? "?" + e.query : ""));
  $("#detail-response").textContent = message(x.response, String(e.status));
  $("#detail-verdicts").replaceChildren(verdictItem("request", e.verdicts.request), verdictItem("response", e.verdicts.response));
  $("#detail-curl").textContent = x.curl;
  $("#detail").hidden = false;
}

$("#filters").addEventListener("submit", (event) => {
  event.preventDefault();
  filter = {operationId: $("#filter-operation").value.trim(), status: $("#filter-status").value.trim(), since: $("#filter-since").value.trim()};
  loadJournal();
});
$("#filter-clear").addEventListener("click", () => {
  $("#filters").reset();
  filter = {operationId: "", status: "", since: ""};
  loadJournal();
});

// ---- State ----

function when(iso) { return iso ? iso.replace(".000", "") : "–"; }

function certificate(c) {
  const li = el("li", {className: "certificate " + (c.expired ? "expired" : "valid")},
    (c.expired ? "expired" : "valid") + " · serial " + c.serial + " · " + c.subject + " · not after " + when(c.notAfter));
  li.dataset.serial = c.serial;
  return li;
}

function databaseUser(u) {
  const node = el("details", {className: "database-user", open: true},
    el("summary", {}, u.username + " ", el("span", {className: "kind"}, u.databaseName + " · " + u.authentication)));
  if (u.certificates.length) node.append(el("ul", {}, ...u.certificates.map(certificate)));
  return node;
}

function resourceGroups(groups) {
  const byTag = new Map();
  for (const g of groups) byTag.set(g.tag, [...(byTag.get(g.tag) || []), g]);
  return [...byTag.entries()].sort().map(([tag, list]) => el("details", {className: "resources"},
    el("summary", {}, tag + " ", el("span", {className: "kind"}, list.reduce((n, g) => n + g.items.length, 0) + " resources")),
    el("ul", {}, ...list.flatMap((g) => g.items.map((item) =>
      el("li", {}, g.collection + " · " + item.id + (item.name ? " (" + item.name + ")" : "") + (item.phase ? " · " + item.phase : "")))))));
}

function accessList(list) {
  return list.length ? "access list " + list.map((a) => a.cidrBlock).join(", ") : "no access list";
}

function project(p) {
  const node = el("details", {className: "project", open: true},
    el("summary", {}, "project " + p.name + " ", el("span", {className: "kind"}, p.id)));
  node.dataset.id = p.id;
  node.append(...p.databaseUsers.map(databaseUser), ...resourceGroups(p.resources));
  return node;
}

function org(o) {
  const keys = o.apiKeys.map((k) => el("li", {className: "api-key"},
    "API key " + k.publicKey + " · private key " + k.privateKey + " · " + (k.description || "") + " · " + k.roles.join(", ") + " · " + accessList(k.accessList)));
  const accounts = o.serviceAccounts.map((sa) => el("li", {className: "service-account"},
    "service account " + sa.clientId + " (" + sa.name + ") · " + sa.roles.join(", ") + " · " + accessList(sa.accessList),
    el("ul", {}, ...sa.secrets.map((s) => el("li", {className: s.expired ? "expired" : "valid"},
      "secret " + s.maskedSecretValue + " · expires " + when(s.expiresAt) + (s.expired ? " · expired" : ""))))));
  const node = el("details", {className: "org", open: true},
    el("summary", {}, "organization " + o.name + " ", el("span", {className: "kind"}, o.id)),
    ...o.projects.map(project));
  if (keys.length || accounts.length) node.append(el("ul", {className: "credentials"}, ...keys, ...accounts));
  node.append(...resourceGroups(o.resources));
  return node;
}

async function loadState() {
  try {
    const s = await call(paths.summary);
    $("#state-tree").replaceChildren(el("p", {className: "muted"}, "as of " + when(s.now) + " on the stub's clock"),
      ...s.orgs.map(org), ...resourceGroups(s.resources));
  } catch (err) {
    $("#state-tree").replaceChildren(el("p", {className: "fail"}, err.message));
  }
}

// ---- Clock ----

let offsetSeconds = 0;

function showNow() {
  $("#now").textContent = new Date(Date.now() + offsetSeconds * 1000).toISOString().replace(/\.\d+Z$/, "Z");
  $("#offset").textContent = offsetSeconds ? "(real time + " + span(offsetSeconds) + ")" : "(real time)";
}

// span writes seconds as days, hours, minutes and seconds: 93d 0h 0m 0s.
function span(seconds) {
  const parts = [[86400, "d"], [3600, "h"], [60, "m"], [1, "s"]].map(([unit, name]) => {
    const n = Math.floor(seconds / unit);
    seconds -= n * unit;
    return n + name;
  });
  return parts.slice(parts.findIndex((p) => !p.startsWith("0"))).join(" ");
}

async function loadClock() {
  try {
    const c = await call(paths.clock);
    offsetSeconds = c.offsetSeconds;
    showNow();
  } catch (err) {
    $("#clock-error").value = err.message;
  }
}

$("#advance-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const c = await call(paths.advance, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({duration: $("#duration").value.trim()})});
    offsetSeconds = c.offsetSeconds;
    $("#clock-error").value = "";
    showNow();
  } catch (err) {
    $("#clock-error").value = err.message;
  }
  loadState();
});

$("#reset").addEventListener("click", async () => {
  try {
    await call(paths.reset, {method: "POST"});
    $("#clock-error").value = "";
  } catch (err) {
    $("#clock-error").value = err.message;
  }
  loadClock();
  refresh();
});

// ---- Fault rules ----

function describeFault(r) {
  const parts = [];
  if (r.error) parts.push("error " + r.error.status + " " + r.error.errorCode);
  if (r.latency) parts.push("latency " + r.latency);
  if (r.slowBody) parts.push("slow body " + r.slowBody);
  if (r.dropConnection) parts.push("drop " + r.dropConnection);
  if (r.after) parts.push("after " + r.after);
  if (r.times) parts.push(r.times + " times");
  if (r.probability < 1) parts.push("p=" + r.probability);
  return parts.join(", ");
}

async function loadFaults() {
  try {
    const rules = await call(paths.faults);
    $("#fault-rules tbody").replaceChildren(...rules.map((r) => el("tr", {},
      el("td", {}, r.id), el("td", {}, JSON.stringify(r.match)), el("td", {}, describeFault(r)),
      el("td", {}, String(r.matched)), el("td", {}, String(r.fired)))));
    $("#faults-empty").hidden = rules.length > 0;
  } catch (err) {
    $("#faults-empty").textContent = err.message;
  }
}

// ---- Live ----

let refreshing = null;

// refresh reloads the state and the fault rules once after a burst of requests.
function refresh() {
  clearTimeout(refreshing);
  refreshing = setTimeout(() => { loadState(); loadFaults(); }, 250);
}

let events = null;

// journalOff says that the stub keeps no journal (--journal-size 0), and stops following it: its
// stream would end as soon as it began, and the browser would open it again every few seconds.
function journalOff() {
  if (events) events.close();
  $("#live").textContent = "journal off";
  $("#journal-empty").textContent = "The stub keeps no journal: it runs with --journal-size 0.";
  $("#journal-empty").hidden = false;
}

function follow() {
  events = new EventSource(paths.stream);
  // On (re)connecting, the list is read again: nothing recorded before the stream began is missed.
  events.addEventListener("open", () => { $("#live").textContent = "live"; loadJournal(); });
  events.addEventListener("error", () => { $("#live").textContent = "reconnecting…"; });
  events.addEventListener("request", (event) => {
    const e = JSON.parse(event.data);
    if (passes(e) && !entries.some((x) => x.id === e.id)) {
      entries.unshift(e);
      entries.length = Math.min(entries.length, maxRows);
      renderJournal();
    }
    refresh();
  });
}

loadClock();
setInterval(showNow, 1000);
loadState();
loadFaults();
// The journal's stream is followed once the stub is known to keep a journal.
loadJournal().then((kept) => { if (kept) follow(); });
