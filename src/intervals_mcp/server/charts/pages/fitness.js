/* get_fitness_trend: CTL (fitness) and ATL (fatigue) over `points`, form below, the
   `forecast` dashed over a shaded band labelled "estimate", the peak marked. */

function dayTicks(d0, d1, count) {
  let days = [];
  if (d1 - d0 > 75) {
    const a = new Date(d0 * DAY_MS);
    for (let m = a.getUTCMonth() + 1; ; m++) {
      const t = Date.UTC(a.getUTCFullYear(), m, 1) / DAY_MS;
      if (t > d1) break;
      days.push(t);
    }
  } else {
    const n = Math.max(1, Math.min(count, d1 - d0 + 1));
    for (let i = 0; i < n; i++) days.push(Math.round(d0 + (n === 1 ? 0 : (i * (d1 - d0)) / (n - 1))));
  }
  const step = Math.max(1, Math.ceil(days.length / count));
  days = days.filter((_, i) => i % step === 0);
  const monthly = d1 - d0 > 75;
  return days.map((t, i) => {
    const iso = new Date(t * DAY_MS).toISOString().slice(0, 10);
    const fmt = monthly ? { month: "short", timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" };
    if (i === 0 || iso.slice(5, 7) === "01") fmt.year = "numeric";
    return { at: t, text: new Intl.DateTimeFormat(locale(), fmt).format(new Date(t * DAY_MS)) };
  });
}

function fitnessSummary(d, points, forecast) {
  const out = [];
  const latest = isObj(d.latest) ? d.latest : points[points.length - 1];
  if (latest) {
    out.push("On " + dateLabel(latest.date, true) + ": fitness (CTL) " + num(latest.ctl) + ", fatigue (ATL) " +
      num(latest.atl) + ", form " + signed(latest.form) + ".");
  } else {
    out.push("No past values in this range; only the estimate.");
  }
  if (isObj(d.peak) && isNum(d.peak.ctl)) out.push("Peak fitness " + num(d.peak.ctl) + " on " + dateLabel(d.peak.date, true) + ".");
  if (isNum(d.ramp_per_week)) out.push("Ramp " + signed(d.ramp_per_week, 1) + " CTL per week.");
  const end = forecast[forecast.length - 1];
  if (end) {
    out.push("Estimate for " + dateLabel(end.date, true) + " from the planned workouts: fitness " + num(end.ctl) +
      ", fatigue " + num(end.atl) + ", form " + signed(end.form) + ".");
  }
  return out.join(" ");
}

function renderFitness(root, d, W) {
  const points = dated(d.points), forecast = dated(d.forecast);
  header(root, "Fitness, fatigue and form", span(d));
  if (!points.length && !forecast.length) {
    message(root, "No fitness data in this range: Intervals.icu has no fitness (CTL) or fatigue (ATL) values for these dates.");
    return;
  }
  const all = points.concat(forecast);
  const latest = isObj(d.latest) ? d.latest : points[points.length - 1] || {};
  legend(root, [
    { label: "Fitness (CTL) " + num(latest.ctl), cls: "k1" },
    { label: "Fatigue (ATL) " + num(latest.atl), cls: "k2" },
    { label: "Form " + signed(latest.form), cls: "k3" },
  ].concat(forecast.length ? [{ label: "Estimate from planned workouts", cls: "k1", dash: true }] : []));

  const summary = fitnessSummary(d, points, forecast);
  const L = 46, R = W - 12, top = 22, hTop = 190, gap = 34, hBot = 96;
  const bot = top + hTop + gap + hBot, H = bot + 26;
  const days = all.map((r) => dayOf(r.date));
  const d0 = Math.min(...days), d1 = Math.max(...days);
  const x = scale(d0, d1, L, R);
  const xd = (r) => x(dayOf(r.date));
  const loads = all.flatMap((r) => [r.ctl, r.atl]).filter(isNum);
  const ay = nice(Math.min(0, ...loads), Math.max(1, ...loads), 4);
  const y = scale(ay.lo, ay.hi, top + hTop, top);
  const forms = all.map((r) => r.form).filter(isNum);
  const af = nice(Math.min(0, ...forms), Math.max(0, ...forms), 3);
  const yf = scale(af.lo, af.hi, bot, top + hTop + gap);

  const s = chart(root, W, H, "Fitness, fatigue and form", summary);
  if (forecast.length) {
    const fx = points.length ? xd(points[points.length - 1]) : xd(forecast[0]);
    svg(s, "rect", { class: "est", x: fx, y: top, width: Math.max(2, R - fx), height: bot - top });
    svg(s, "text", { x: Math.min(fx + 4, R - 50), y: top - 8, class: "lbl" }, "estimate");
  }
  yAxis(s, ay, y, L, R);
  yAxis(s, af, yf, L, R, signed);
  svg(s, "text", { x: L, y: top + hTop + gap - 8, class: "lbl" }, "Form (fitness − fatigue)");
  xLabels(s, dayTicks(d0, d1, Math.max(2, Math.floor((R - L) / 80))), x, H - 6, 12);

  const tail = points.length ? [points[points.length - 1]] : [];
  const series = [["ctl", "k1", y], ["atl", "k2", y], ["form", "k3", yf]];
  for (const [key, cls, yy] of series) {
    const yOf = (r) => (isNum(r[key]) ? yy(r[key]) : NaN);
    if (points.length) svg(s, "path", { class: "line " + cls, d: linePath(points, xd, yOf) });
    if (forecast.length) svg(s, "path", { class: "line dash " + cls, d: linePath(tail.concat(forecast), xd, yOf) });
  }
  const peak = d.peak;
  if (isObj(peak) && isNum(peak.ctl) && dayOf(peak.date) >= d0 && dayOf(peak.date) <= d1) {
    const px = x(dayOf(peak.date)), py = y(peak.ctl);
    svg(s, "circle", { cx: px, cy: py, r: 4.5, class: "f1" });
    svg(s, "text", { x: Math.max(L + 24, Math.min(R - 24, px)), y: py - 9, "text-anchor": "middle", class: "lbl" },
      "peak " + num(peak.ctl));
  }
  const w = Math.max(3, (R - L) / all.length);
  for (const r of all) {
    const est = forecast.includes(r);
    const hit = svg(s, "rect", { class: "hit", x: xd(r) - w / 2, y: top, width: w, height: bot - top });
    tip(hit, dateLabel(r.date, true) + (est ? " (estimate)" : "") + ": fitness " + num(r.ctl) + ", fatigue " +
      num(r.atl) + ", form " + signed(r.form) + (est && isNum(r.planned_load) ? ", planned load " + num(r.planned_load) : ""));
  }
  html(root, "p", { class: "note" }, summary);
}

startApp({ name: "intervals-mcp-fitness", title: "Fitness trend", render: renderFitness });
