// A small SVG line chart of the training loss (no chart library).
const NS = 'http://www.w3.org/2000/svg';

export function renderLossChart(svg, points) {
  const W = 600, H = 220, L = 48, R = 12, T = 12, B = 28;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.dataset.points = String(points.length);
  svg.replaceChildren();
  const el = (name, attrs, text) => {
    const n = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
    if (text !== undefined) n.textContent = text;
    svg.appendChild(n);
    return n;
  };
  el('rect', { x: L, y: T, width: W - L - R, height: H - T - B, class: 'plot' });
  if (points.length === 0) {
    el('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' }, 'No loss reported yet');
    return;
  }
  const xs = points.map((p) => p.x), ys = points.map((p) => p.y);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (x0 === x1) { x0 -= 1; x1 += 1; }
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  const px = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R);
  const py = (y) => T + (1 - (y - y0) / (y1 - y0)) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    el('line', { x1: L, x2: W - R, y1: py(y), y2: py(y), class: 'grid' });
    el('text', { x: L - 6, y: py(y) + 4, 'text-anchor': 'end', class: 'tick' }, y.toFixed(3));
  }
  el('text', { x: L, y: H - 8, class: 'tick' }, `step ${x0}`);
  el('text', { x: W - R, y: H - 8, 'text-anchor': 'end', class: 'tick' }, `step ${x1}`);
  el('polyline', { points: points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' '), class: 'loss' });
  for (const p of points.slice(-50)) el('circle', { cx: px(p.x), cy: py(p.y), r: 2.5, class: 'dot' });
}
