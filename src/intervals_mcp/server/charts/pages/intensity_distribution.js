/* get_intensity_distribution: the share of time in each zone as bars, the three-zone
   (polarization) split as one stacked bar, and the split week by week. */

const METRICS = { power: "power", hr: "heart rate", pace: "pace" };
const THREE = [["low", "Low", "f3"], ["moderate", "Moderate", "f4"], ["high", "High", "f5"]];

function zoneRows(zones) {
  const rows = (Array.isArray(zones) ? zones : []).filter((z) => isObj(z) && (isNum(z.seconds) || isNum(z.share)));
  const total = rows.reduce((a, z) => a + (isNum(z.seconds) ? z.seconds : 0), 0);
  return rows.map((z) => ({
    zone: String(z.zone == null ? "?" : z.zone),
    seconds: z.seconds,
    share: isNum(z.share) ? z.share : total > 0 && isNum(z.seconds) ? z.seconds / total : 0,
  }));
}
/* The three parts of a split as shares of their sum, bottom (low) first. */
function parts(row) {
  const vals = THREE.map(([k]) => (isNum(row[k]) && row[k] > 0 ? row[k] : 0));
  const sum = vals.reduce((a, b) => a + b, 0);
  return sum > 0 ? vals.map((v) => v / sum) : null;
}
function splitText(p) {
  return THREE.map(([, label], i) => label + " " + pct(p[i])).join(", ");
}

function renderIntensity(root, d, W) {
  const metric = METRICS[d.metric] || d.metric || "intensity";
  header(root, "Time in " + metric + " zones", span(d));
  const zones = zoneRows(d.zones);
  if (!zones.some((z) => z.share > 0 || z.seconds > 0)) {
    message(root, "No zone times in this range: no activity here recorded time in " + metric + " zones.");
    return;
  }
  const zoneDesc = zones.map((z) => z.zone + " " + pct(z.share) + " (" + hours(z.seconds) + ")").join(", ");
  const L = 40, R = W - 118, row = 24, H = zones.length * row + 6;
  const x = scale(0, Math.max(0.01, ...zones.map((z) => z.share)), L, R);
  const s = chart(root, W, H, "Share of time per " + metric + " zone", zoneDesc);
  zones.forEach((z, i) => {
    const top = 3 + i * row;
    svg(s, "text", { x: L - 8, y: top + 14, "text-anchor": "end", class: "lbl" }, z.zone);
    const w = z.share > 0 ? Math.max(1, x(z.share) - L) : 0;
    tip(svg(s, "rect", { class: "f1", x: L, y: top + 2, width: w, height: row - 8 }), z.zone + ": " + zoneDesc.split(", ")[i]);
    svg(s, "text", { x: L + w + 6, y: top + 14 }, pct(z.share) + " · " + hours(z.seconds));
  });

  const pol = isObj(d.polarization) ? d.polarization : {};
  const split = parts(pol);
  html(root, "h2", {}, "Three-zone split");
  if (!split) {
    html(root, "p", { class: "note" }, "No three-zone split for this range.");
  } else {
    legend(root, THREE.map(([, label, cls], i) => ({ label: label + " " + pct(split[i]), cls, box: true })));
    const desc = splitText(split) + (isNum(pol.index) ? "; polarization index " + num(pol.index, 2) : "");
    const b = chart(root, W, 30, "Three-zone split", desc);
    let at = 0;
    split.forEach((p, i) => {
      const seg = svg(b, "rect", { class: THREE[i][2] + " sep", x: at * W, y: 4, width: p * W, height: 22 });
      tip(seg, THREE[i][1] + " " + pct(p));
      at += p;
    });
    if (isNum(pol.index)) html(root, "p", { class: "note" }, "Polarization index " + num(pol.index, 2) + ".");
  }

  const weeks = dated(d.weekly, "start");
  if (weeks.length) {
    html(root, "h2", {}, "Week by week");
    const wl = 46, wr = W - 12, wt = 8, wh = 120, WH = wt + wh + 24;
    const band = (wr - wl) / weeks.length, bw = Math.min(40, band * 0.7);
    const cx = (i) => wl + band * (i + 0.5);
    const y = scale(0, 1, wt + wh, wt);
    const desc = weeks.map((w) => dateLabel(w.start) + ": " + (parts(w) ? splitText(parts(w)) : "no zone times")).join("; ");
    const c = chart(root, W, WH, "Three-zone split week by week", desc);
    yAxis(c, { ticks: [0, 0.5, 1] }, y, wl, wr, pct);
    weeks.forEach((w, i) => {
      const p = parts(w);
      if (!p) return;
      let base = 0;
      p.forEach((v, k) => {
        const seg = svg(c, "rect", { class: THREE[k][2] + " sep", x: cx(i) - bw / 2, y: y(base + v), width: bw,
          height: Math.max(0, y(base) - y(base + v)) });
        tip(seg, "Week of " + dateLabel(w.start, true) + ": " + splitText(p));
        base += v;
      });
    });
    xLabels(c, weeks.map((w, i) => ({ at: i, text: dateLabel(w.start) })), cx, WH - 6,
      Math.max(1, Math.floor((wr - wl) / 58)));
  }
}

startApp({ name: "intervals-mcp-intensity", title: "Intensity distribution", render: renderIntensity });
