"use strict";
/* Shared by every chart page (inlined by intervals_mcp.server.charts): the MCP Apps
   postMessage protocol spoken by hand (the page is the view, the host answers), the theme
   from hostContext, and small SVG helpers. No network, no library. */

const SVGNS = "http://www.w3.org/2000/svg";
const PROTOCOL_VERSION = "2026-01-26";
const DAY_MS = 86400000;
const App = { ctx: {}, input: null, result: null, ready: false, width: 0, spec: null };
const pending = new Map();
let lastId = 0;
let uid = 0;

function make(ns, parent, tag, attrs, text) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v != null) node.setAttribute(k, String(v));
  if (text != null) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}
const svg = (parent, tag, attrs, text) => make(SVGNS, parent, tag, attrs, text);
const html = (parent, tag, attrs, text) => make(null, parent, tag, attrs, text);

/* --- values ------------------------------------------------------------------------ */
const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const locale = () => App.ctx.locale || navigator.language || "en";
function num(v, digits) {
  if (!isNum(v)) return "–";
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits || 0 }).format(v);
}
const signed = (v, digits) => (isNum(v) && v > 0 ? "+" : "") + num(v, digits);
const pct = (share) => (isNum(share) ? num(share * 100) + "%" : "–");
function hours(seconds) {
  if (!isNum(seconds)) return "–";
  const m = Math.round(seconds / 60);
  return Math.floor(m / 60) + " h " + String(m % 60).padStart(2, "0") + " min";
}
function dayOf(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(typeof text === "string" ? text : "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS : NaN;
}
function dateLabel(text, withYear) {
  const d = dayOf(text);
  if (!Number.isFinite(d)) return String(text);
  const opts = { day: "numeric", month: "short", timeZone: "UTC" };
  if (withYear) opts.year = "numeric";
  return new Intl.DateTimeFormat(locale(), opts).format(new Date(d * DAY_MS));
}
/* The rows of a list that carry a date under `key`; anything else is dropped. */
const dated = (list, key) =>
  (Array.isArray(list) ? list : []).filter((r) => isObj(r) && Number.isFinite(dayOf(r[key || "date"])));
function span(d) {
  const parts = [];
  if (d.start_date || d.end_date) parts.push(dateLabel(d.start_date, true) + " – " + dateLabel(d.end_date, true));
  if (d.sport) parts.push(String(d.sport));
  if (d.athlete_id) parts.push("athlete " + d.athlete_id);
  return parts.join(" · ");
}

/* --- scales and axes ----------------------------------------------------------------- */
function scale(d0, d1, r0, r1) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => (d1 === d0 ? (r0 + r1) / 2 : r0 + (v - d0) * k);
}
/* Round ticks covering [lo, hi]: returns {lo, hi, ticks}. */
function nice(lo, hi, count) {
  if (!(hi > lo)) { hi = lo + 1; lo = lo - (lo > 0 ? 1 : 0); }
  const raw = (hi - lo) / (count || 5);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * p).find((s) => s >= raw) || 10 * p;
  const a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step;
  const ticks = [];
  for (let v = a; v <= b + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { lo: a, hi: b, ticks };
}
function yAxis(g, ax, y, x0, x1, fmt) {
  for (const t of ax.ticks) {
    svg(g, "line", { class: t === 0 ? "zero" : "grid", x1: x0, x2: x1, y1: y(t), y2: y(t) });
    svg(g, "text", { x: x0 - 6, y: y(t) + 4, "text-anchor": "end" }, (fmt || num)(t));
  }
}
/* Up to `count` evenly spaced labels of `items` along x (each item {at, text}). */
function xLabels(g, items, x, yPos, count) {
  const step = Math.max(1, Math.ceil(items.length / Math.max(1, count)));
  items.forEach((it, i) => {
    if (i % step === 0) svg(g, "text", { x: x(it.at), y: yPos, "text-anchor": "middle" }, it.text);
  });
}
function linePath(rows, xOf, yOf) {
  let d = "", pen = "M";
  for (const r of rows) {
    const px = xOf(r), py = yOf(r);
    if (!Number.isFinite(px) || !Number.isFinite(py)) { pen = "M"; continue; }
    d += pen + px.toFixed(1) + " " + py.toFixed(1) + " ";
    pen = "L";
  }
  return d.trim();
}

/* --- page pieces --------------------------------------------------------------------- */
/* An SVG with its title and description: the text alternative a screen reader reads. */
function chart(parent, width, height, title, desc) {
  const id = "c" + ++uid;
  const s = svg(parent, "svg", {
    class: "chart", width, height, viewBox: "0 0 " + width + " " + height,
    role: "img", "aria-labelledby": id + "t " + id + "d",
  });
  svg(s, "title", { id: id + "t" }, title);
  svg(s, "desc", { id: id + "d" }, desc);
  return s;
}
function header(root, title, sub) {
  html(root, "h1", {}, title);
  if (sub) html(root, "p", { class: "sub" }, sub);
}
function message(root, text, kind) {
  html(root, "p", { class: "msg" + (kind ? " " + kind : ""), role: kind === "error" ? "alert" : "status" }, text);
}
/* A legend of {label, cls, dash, box}: a line swatch, or a filled box. */
function legend(root, items) {
  const ul = html(root, "ul", { class: "legend" });
  for (const it of items) {
    const li = html(ul, "li");
    const s = svg(li, "svg", { width: 18, height: 10, "aria-hidden": "true" });
    if (it.box) svg(s, "rect", { x: 2, y: 0, width: 14, height: 10, class: it.cls });
    else svg(s, "line", { x1: 1, x2: 17, y1: 5, y2: 5, class: "line " + it.cls + (it.dash ? " dash" : "") });
    li.appendChild(document.createTextNode(it.label));
  }
}
const tip = (node, text) => svg(node, "title", {}, text);

/* --- the protocol -------------------------------------------------------------------- */
const post = (msg) => window.parent.postMessage(msg, "*");
const notify = (method, params) => post({ jsonrpc: "2.0", method, params: params || {} });
function request(method, params) {
  const id = ++lastId;
  post({ jsonrpc: "2.0", id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
const HANDLERS = {
  "ui/notifications/tool-input": (p) => { App.input = isObj(p.arguments) ? p.arguments : {}; if (!App.result) draw(); },
  "ui/notifications/tool-result": (p) => { App.result = p; draw(); },
  "ui/notifications/tool-cancelled": () => { if (!App.result) { App.result = { cancelled: true }; draw(); } },
  "ui/notifications/host-context-changed": (p) => { Object.assign(App.ctx, p); theme(); draw(); },
};
function onMessage(event) {
  if (event.source !== window.parent) return;
  const m = event.data;
  if (!isObj(m) || m.jsonrpc !== "2.0") return;
  if (m.method === undefined) {
    const waiter = pending.get(m.id);
    if (!waiter) return;
    pending.delete(m.id);
    if (m.error) waiter.reject(m.error); else waiter.resolve(m.result);
  } else if (m.id !== undefined && m.id !== null) {
    if (m.method === "ui/resource-teardown" || m.method === "ping") post({ jsonrpc: "2.0", id: m.id, result: {} });
    else post({ jsonrpc: "2.0", id: m.id, error: { code: -32601, message: "Method not found: " + m.method } });
  } else if (HANDLERS[m.method]) {
    HANDLERS[m.method](isObj(m.params) ? m.params : {});
  }
}
function theme() {
  const t = App.ctx.theme === "dark" || App.ctx.theme === "light" ? App.ctx.theme
    : (window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  document.documentElement.dataset.theme = t;
}
function viewWidth() {
  const dims = isObj(App.ctx.containerDimensions) ? App.ctx.containerDimensions : {};
  const w = document.documentElement.clientWidth || dims.width || dims.maxWidth || 640;
  return Math.max(300, Math.min(960, w)) - 28;
}
const textOf = (r) => (Array.isArray(r.content) ? r.content : [])
  .filter((c) => isObj(c) && c.type === "text").map((c) => c.text).join("\n");
function draw() {
  const root = document.getElementById("app");
  const spec = App.spec, r = App.result;
  root.replaceChildren();
  App.width = viewWidth();
  try {
    if (!r) message(root, spec.title + (App.input ? ": waiting for the result." : ": waiting for the call."));
    else if (r.cancelled) message(root, spec.title + ": the call was cancelled.");
    else if (r.isError) message(root, textOf(r) || "The tool reported an error.", "error");
    else if (!isObj(r.structuredContent)) message(root, spec.title + ": this result has no chart data.");
    else spec.render(root, r.structuredContent, App.width);
  } catch (err) {
    root.replaceChildren();
    message(root, spec.title + ": this result could not be drawn.", "error");
    console.error(err);
  }
  if (App.ready) {
    const el = document.documentElement;
    notify("ui/notifications/size-changed", { width: el.scrollWidth, height: el.scrollHeight });
  }
}
/* Start the page: `spec` is {name, title, render(root, data, width)}. */
function startApp(spec) {
  App.spec = spec;
  window.addEventListener("message", onMessage);
  window.addEventListener("resize", () => { if (viewWidth() !== App.width) draw(); });
  theme();
  draw();
  request("ui/initialize", {
    appInfo: { name: spec.name, version: "1.0.0" }, appCapabilities: {}, protocolVersion: PROTOCOL_VERSION,
  }).then((result) => {
    App.ctx = Object.assign({}, isObj(result) && isObj(result.hostContext) ? result.hostContext : {});
    App.ready = true;
    notify("ui/notifications/initialized");
    theme();
    draw();
  }, (err) => message(document.getElementById("app"), "The host refused the chart: " + ((err && err.message) || err), "error"));
}
