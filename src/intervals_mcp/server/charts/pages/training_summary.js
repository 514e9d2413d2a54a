/* get_training_summary: training load per period as bars, moving time as a line on the
   right axis, each bar's figures in its tooltip; totals, the previous span and sports below. */

const TITLES = { week: "Training load by week", month: "Training load by month", year: "Training load by year",
  none: "Training load" };

function figures(p) {
  return num(p.sessions) + " sessions, " + hours(p.moving_time_s) + ", " + num(p.distance_km, 1) + " km, " +
    num(p.elevation_m) + " m climbing, load " + num(p.training_load);
}
function periodLabel(p, group) {
  const t = new Date(dayOf(p.start) * DAY_MS);
  if (group === "year") return String(t.getUTCFullYear());
  if (group === "month") return new Intl.DateTimeFormat(locale(), { month: "short", year: "2-digit", timeZone: "UTC" }).format(t);
  return dateLabel(p.start);
}
function change(now, before) {
  return isNum(now) && isNum(before) && before > 0 ? signed(((now - before) / before) * 100) + "%" : "–";
}
function trainingSummary(d) {
  const t = isObj(d.totals) ? d.totals : {};
  const out = ["In total: " + figures(t) + "."];
  const prev = d.previous;
  if (isObj(prev)) {
    out.push("Previous span (" + dateLabel(prev.start, true) + " – " + dateLabel(prev.end, true) + "): load " +
      num(prev.training_load) + " (" + change(t.training_load, prev.training_load) + "), " + hours(prev.moving_time_s) +
      " (" + change(t.moving_time_s, prev.moving_time_s) + ").");
  }
  const sports = isObj(d.by_sport) ? Object.entries(d.by_sport).filter(([, v]) => isObj(v)) : [];
  sports.sort((a, b) => (b[1].training_load || 0) - (a[1].training_load || 0));
  if (sports.length) {
    out.push("By sport: " + sports.map(([k, v]) => k + " " + num(v.sessions) + " × " + hours(v.moving_time_s) +
      ", load " + num(v.training_load)).join("; ") + ".");
  }
  return out;
}

function renderSummary(root, d, W) {
  const group = TITLES[d.group_by] ? d.group_by : "week";
  header(root, TITLES[group], span(d));
  const periods = dated(d.periods, "start");
  const some = (p) => [p.sessions, p.training_load, p.moving_time_s].some((v) => isNum(v) && v > 0);
  if (!periods.some(some)) {
    message(root, "No training recorded in this range.");
    if (isObj(d.previous) && some(d.previous)) for (const line of trainingSummary(d)) html(root, "p", { class: "note" }, line);
    return;
  }
  legend(root, [
    { label: "Training load", cls: "f1", box: true },
    { label: "Moving time (hours)", cls: "k2" },
  ]);
  const lines = trainingSummary(d), summary = lines.join(" ");
  const L = 46, R = W - 44, top = 22, h = 200, H = top + h + 26;
  const n = periods.length, band = (R - L) / n, bw = Math.min(48, band * 0.7);
  const cx = (i) => L + band * (i + 0.5);
  const ay = nice(0, Math.max(1, ...periods.map((p) => p.training_load).filter(isNum)), 4);
  const y = scale(ay.lo, ay.hi, top + h, top);
  const ah = nice(0, Math.max(1, ...periods.map((p) => p.moving_time_s / 3600).filter(isNum)), 4);
  const yh = scale(ah.lo, ah.hi, top + h, top);

  const s = chart(root, W, H, TITLES[group], summary);
  yAxis(s, ay, y, L, R);
  for (const t of ah.ticks) svg(s, "text", { x: R + 6, y: yh(t) + 4, class: "f2" }, num(t));
  svg(s, "text", { x: L - 6, y: top - 10, "text-anchor": "end", class: "f1" }, "load");
  svg(s, "text", { x: R + 6, y: top - 10, class: "f2" }, "hours");
  periods.forEach((p, i) => {
    const v = isNum(p.training_load) ? p.training_load : 0;
    const bar = svg(s, "rect", { class: "f1", x: cx(i) - bw / 2, y: y(v), width: bw, height: Math.max(0, y(0) - y(v)) });
    const label = (group === "week" ? "Week of " : "") + dateLabel(p.start, true) + " – " + dateLabel(p.end, true);
    tip(bar, label + ": " + figures(p));
    const hit = svg(s, "rect", { class: "hit", x: cx(i) - band / 2, y: top, width: band, height: h });
    tip(hit, label + ": " + figures(p));
  });
  const yOf = (p) => (isNum(p.moving_time_s) ? yh(p.moving_time_s / 3600) : NaN);
  svg(s, "path", { class: "line k2", d: linePath(periods, (p) => cx(periods.indexOf(p)), yOf) });
  periods.forEach((p, i) => {
    if (isNum(p.moving_time_s)) svg(s, "circle", { cx: cx(i), cy: yOf(p), r: 3, class: "f2" });
  });
  xLabels(s, periods.map((p, i) => ({ at: i, text: periodLabel(p, group) })), cx, H - 6,
    Math.max(1, Math.floor((R - L) / 58)));
  for (const line of lines) html(root, "p", { class: "note" }, line);
}

startApp({ name: "intervals-mcp-training-summary", title: "Training summary", render: renderSummary });
