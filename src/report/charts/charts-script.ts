/**
 * The page's boot script: reads every chart spec (chart-spec.ts) from the JSON block and draws it
 * with uPlot: hover values in the legend, a legend entry click switches its series off and on,
 * log axes where the spec asks, 95% intervals as bars on measured points, ceilings and crossovers
 * as labelled vertical lines. Plain ES2019 run in the browser; `window.tgbenchCharts` keeps the
 * charts by id (the browser test reads it).
 */
export const CHARTS_SCRIPT = `
(function () {
  "use strict";
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  var charts = {};
  window.tgbenchCharts = charts;
  function trim(v, d) { return String(Number(v.toFixed(d))); }
  function fmtUs(us) {
    if (us == null) return "–";
    if (us < 1000) return Math.round(us) + " µs";
    if (us < 1e6) return trim(us / 1000, us < 1e4 ? 2 : 1) + " ms";
    return trim(us / 1e6, 2) + " s";
  }
  function fmtCount(v) {
    if (v == null) return "–";
    var a = Math.abs(v);
    if (a >= 1e6) return trim(v / 1e6, 2) + "M";
    if (a >= 1e4) return trim(v / 1e3, 1) + "k";
    return trim(v, a < 10 ? 2 : 0);
  }
  function fmtRate(r) {
    if (r == null) return "–";
    if (r >= 1) return trim(r, 2) + "/s";
    if (r * 60 >= 1) return trim(r * 60, 2) + "/min";
    if (r * 3600 >= 1) return trim(r * 3600, 2) + "/h";
    return trim(r * 86400, 2) + "/day";
  }
  var Y = {
    us: fmtUs,
    ms: function (v) { return v == null ? "–" : fmtUs(v * 1000); },
    count: fmtCount,
    percent: function (v) { return v == null ? "–" : trim(v * 100, 1) + "%"; }
  };
  var X = { rate: fmtRate, count: fmtCount };
  function drawExtras(spec) {
    return function (u) {
      var ctx = u.ctx;
      ctx.save();
      spec.series.forEach(function (s, i) {
        if (!s.intervals || !u.series[i + 1].show) return;
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 1.5 * devicePixelRatio;
        s.intervals.forEach(function (iv, j) {
          if (!iv) return;
          var x = u.valToPos(spec.xs[j], "x", true);
          var lo = u.valToPos(Math.max(iv[0], spec.yLog ? 1e-9 : iv[0]), "y", true);
          var hi = u.valToPos(iv[1], "y", true);
          ctx.beginPath();
          ctx.moveTo(x, lo); ctx.lineTo(x, hi);
          ctx.moveTo(x - 4, lo); ctx.lineTo(x + 4, lo);
          ctx.moveTo(x - 4, hi); ctx.lineTo(x + 4, hi);
          ctx.stroke();
        });
      });
      (spec.markers || []).forEach(function (m) {
        var x = u.valToPos(m.x, "x", true);
        if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
        ctx.strokeStyle = m.color;
        ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
        ctx.lineWidth = devicePixelRatio;
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = m.color;
        ctx.font = 11 * devicePixelRatio + "px sans-serif";
        ctx.fillText(m.label, x + 3 * devicePixelRatio, u.bbox.top + 12 * devicePixelRatio);
      });
      ctx.restore();
    };
  }
  specs.forEach(function (spec) {
    var host = document.querySelector('[data-chart="' + spec.id + '"] .plot');
    if (!host) return;
    var fy = Y[spec.yFormat] || fmtCount;
    var fx = X[spec.xFormat] || fmtCount;
    // A log axis cannot show 0, and a vanishing value (1e-300 per hour) would stretch it over
    // hundreds of decades: below 0.01 counts as nothing.
    var clean = function (v) { return v == null || !isFinite(v) || (spec.yLog && v < 0.01) ? null : v; };
    var data = [spec.xs].concat(spec.series.map(function (s) { return s.values.map(clean); }));
    var opts = {
      width: Math.max(320, host.clientWidth || 560),
      height: 300,
      scales: { x: { time: false, distr: spec.xLog ? 3 : 1 }, y: { distr: spec.yLog ? 3 : 1 } },
      axes: [
        { label: spec.xLabel, values: function (u, vals) { return vals.map(fx); } },
        { label: spec.yLabel, size: 70, values: function (u, vals) { return vals.map(fy); } }
      ],
      series: [{ label: spec.xLabel, value: function (u, v) { return fx(v); } }].concat(
        spec.series.map(function (s) {
          var points = s.style === "points";
          return {
            label: s.label,
            stroke: s.color,
            width: points ? 0 : 2,
            dash: s.style === "dashed" ? [6, 4] : undefined,
            spanGaps: true,
            paths: points ? function () { return null; } : undefined,
            points: { show: points, size: 8, fill: s.color, stroke: s.color },
            value: function (u, v) { return fy(v); }
          };
        })
      ),
      hooks: { draw: [drawExtras(spec)] }
    };
    charts[spec.id] = new uPlot(opts, data, host);
  });
})();
`;
