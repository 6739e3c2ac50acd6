// Where things go on the canvas: the map fitted into the free area, anchors, and the arcs flows follow.

export interface Insets { top: number; right: number; bottom: number; left: number }
export const NO_INSETS: Insets = { top: 0, right: 0, bottom: 0, left: 0 };

/** Map units → canvas pixels: x' = ox + s·x, y' = oy + s·y. */
export interface Fit { scale: number; ox: number; oy: number; width: number; height: number }

/** Fits a map of mapW × mapH units into a canvas of w × h pixels, inside the insets, centred. */
export function fitMap(mapW: number, mapH: number, w: number, h: number, insets: Insets = NO_INSETS): Fit {
  const aw = Math.max(1, w - insets.left - insets.right);
  const ah = Math.max(1, h - insets.top - insets.bottom);
  const scale = Math.min(aw / mapW, ah / mapH);
  return {
    scale,
    ox: insets.left + (aw - mapW * scale) / 2,
    oy: insets.top + (ah - mapH * scale) / 2,
    width: mapW * scale,
    height: mapH * scale,
  };
}

export function toCanvas(fit: Fit, x: number, y: number): [number, number] {
  return [fit.ox + fit.scale * x, fit.oy + fit.scale * y];
}

export function toMap(fit: Fit, x: number, y: number): [number, number] {
  return [(x - fit.ox) / fit.scale, (y - fit.oy) / fit.scale];
}

/** A quadratic Bézier from a to b through control c. */
export interface Arc { a: [number, number]; c: [number, number]; b: [number, number]; length: number }

/**
 * The arc a flow follows: bowed to the north (as great circles between northern hemisphere
 * points are), more for longer flows, and a little to one side when `lane` separates flows
 * that share both ends.
 */
export function flowArc(a: [number, number], b: [number, number], lane = 0, minY = 0): Arc {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const d = Math.hypot(dx, dy) || 1;
  // unit normal pointing "up" (negative y)
  let nx = -dy / d, ny = dx / d;
  if (ny > 0) { nx = -nx; ny = -ny; }
  const bow = d * 0.22 + lane * 10;
  const mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2;
  const c: [number, number] = [mx + nx * bow, Math.max(minY, my + ny * bow)];
  return { a, b, c, length: arcLength(a, c, b) };
}

export function arcPoint(arc: Arc, t: number): [number, number] {
  const u = 1 - t;
  return [
    u * u * arc.a[0] + 2 * u * t * arc.c[0] + t * t * arc.b[0],
    u * u * arc.a[1] + 2 * u * t * arc.c[1] + t * t * arc.b[1],
  ];
}

function arcLength(a: [number, number], c: [number, number], b: [number, number]): number {
  let len = 0, px = a[0], py = a[1];
  for (let i = 1; i <= 16; i++) {
    const t = i / 16, u = 1 - t;
    const x = u * u * a[0] + 2 * u * t * c[0] + t * t * b[0];
    const y = u * u * a[1] + 2 * u * t * c[1] + t * t * b[1];
    len += Math.hypot(x - px, y - py);
    px = x; py = y;
  }
  return len;
}

/** Stroke width (px at a 1366 px map) for a flow of `amount` H100e a quarter: logarithmic, 1–7 px. */
export function flowWidth(amount: number): number {
  if (amount <= 0) return 0;
  return Math.min(7, Math.max(1, 1 + 1.5 * Math.log10(Math.max(1, amount / 5000))));
}

/** Grey-market flows are small next to the legal trade but matter most: their own scale, 1.5–7 px. */
export function smugglingWidth(amount: number): number {
  if (amount <= 0) return 0;
  return Math.min(7, Math.max(1.5, 2 + 2 * Math.log10(Math.max(1, amount / 3000))));
}

/** Marker radius (px at a 1366 px map) for effective compute in H100e: logarithmic, readable from 10k to 100M. */
export function computeRadius(h100e: number): number {
  if (!(h100e > 0)) return 6;
  return Math.min(44, Math.max(6, 6 + 7.5 * Math.log10(h100e / 1e4)));
}

/** Marker radius for an adoption share 0..1 (area in proportion to the share). */
export function adoptionRadius(share: number): number {
  return 6 + 30 * Math.sqrt(Math.max(0, Math.min(1, share)));
}

export interface Box { x: number; y: number; w: number; h: number }

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * Places labels (centred boxes of w × h) near their anchors without covering each other or the
 * obstacles: tries the anchor itself, then below, above, right and left of it, further out each
 * round; a label that fits nowhere stays on its anchor. Returns each label's centre.
 */
export function placeLabels(labels: { x: number; y: number; w: number; h: number }[], obstacles: Box[], bounds: Box, gap = 4): [number, number][] {
  const placed: Box[] = [...obstacles];
  return labels.map((l) => {
    const candidates: [number, number][] = [[0, 0]];
    for (const k of [1, 2, 3]) {
      const dy = (l.h / 2 + gap) * k, dx = (l.w / 2 + gap) * k;
      candidates.push([0, dy], [0, -dy], [dx, 0], [-dx, 0], [dx * 0.7, dy], [-dx * 0.7, dy], [dx * 0.7, -dy], [-dx * 0.7, -dy]);
    }
    for (const [dx, dy] of candidates) {
      const box = { x: l.x + dx - l.w / 2, y: l.y + dy - l.h / 2, w: l.w, h: l.h };
      if (box.x < bounds.x || box.y < bounds.y || box.x + box.w > bounds.x + bounds.w || box.y + box.h > bounds.y + bounds.h) continue;
      if (placed.some((p) => overlaps(p, box))) continue;
      placed.push(box);
      return [l.x + dx, l.y + dy];
    }
    placed.push({ x: l.x - l.w / 2, y: l.y - l.h / 2, w: l.w, h: l.h });
    return [l.x, l.y];
  });
}
