// Canvas 2D drawing of everything on the map that changes only when the viewer's data changes:
// ocean, graticule, countries, regions (fill, hatching, outline), flow paths, labels, key and
// the lead gauge's scale. Drawn once per show()/resize into a canvas texture, so a frame only
// moves the streaks, the needle and the markers.
import type { Shape, MapAsset } from './asset.ts';
import { projectLonLat } from './asset.ts';
import type { Fit } from './layout.ts';
import { toCanvas, flowWidth, smugglingWidth } from './layout.ts';
import type { Flow } from './model.ts';
import { COLORS, ALIGNMENT_COLOR, TIER_STYLE, rgba, fmtChips, type Alignment } from './style.ts';
import { FONT, labelFonts, legendLabels, legendFonts, legendGrid, canvasMeasure, gaugeFonts, LEGEND_SWATCH, type LegendOptions } from './labels.ts';
import type { PlacedFlow, PlacedLabel, GaugeBox } from './layout.ts';
import type { ExportTier } from '../../shared/rules/schema.ts';

export interface RegionShapes {
  id: string;
  name: string;
  alignment: Alignment;
  tier: ExportTier;
  shapes: Shape[];
}

function tracePath(ctx: CanvasRenderingContext2D, fit: Fit, shapes: Shape[]): void {
  const { scale: s, ox, oy } = fit;
  for (const sh of shapes) {
    for (const r of sh.rings) {
      ctx.moveTo(ox + s * r[0], oy + s * r[1]);
      for (let i = 2; i < r.length; i += 2) ctx.lineTo(ox + s * r[i], oy + s * r[i + 1]);
      ctx.closePath();
    }
  }
}

/** Countries smaller than this many px² get a dot so a hub like Singapore stays visible. */
const TINY_PX2 = 10;

function shapeCentre(fit: Fit, sh: Shape): [number, number] {
  return toCanvas(fit, (sh.box[0] + sh.box[2]) / 2, (sh.box[1] + sh.box[3]) / 2);
}

function graticule(ctx: CanvasRenderingContext2D, asset: MapAsset, fit: Fit, u: number): void {
  const rot = asset.projection.rotate;
  const pt = (lon: number, lat: number) => { const [x, y] = projectLonLat(asset, lon, lat); return toCanvas(fit, x, y); };
  // the globe's outline, for a faint glow and to clip the graticule
  const outline = new Path2D();
  const left = rot - 180 + 1e-6, right = rot + 180 - 1e-6;
  for (let lat = -90; lat <= 90; lat += 2) { const [x, y] = pt(left, lat); if (lat === -90) outline.moveTo(x, y); else outline.lineTo(x, y); }
  for (let lat = 90; lat >= -90; lat -= 2) { const [x, y] = pt(right, lat); outline.lineTo(x, y); }
  outline.closePath();
  ctx.save();
  ctx.fillStyle = COLORS.oceanGlow;
  ctx.fill(outline);
  ctx.clip(outline);
  ctx.strokeStyle = COLORS.graticule;
  ctx.lineWidth = Math.max(0.6, 0.8 * u);
  ctx.beginPath();
  for (let lon = -180; lon < 180; lon += 30) {
    for (let lat = -90; lat <= 90; lat += 3) { const [x, y] = pt(lon, lat); if (lat === -90) ctx.moveTo(x, y); else ctx.lineTo(x, y); }
  }
  for (let lat = -60; lat <= 60; lat += 30) {
    for (let lon = left; lon <= right; lon += 3) { const [x, y] = pt(lon, lat); if (lon === left) ctx.moveTo(x, y); else ctx.lineTo(x, y); }
  }
  ctx.stroke();
  ctx.restore();
}

function hatch(ctx: CanvasRenderingContext2D, box: [number, number, number, number], gap: number, color: string, cross: boolean, u: number): void {
  const [x0, y0, x1, y1] = box;
  ctx.strokeStyle = color;
  ctx.lineWidth = Math.max(0.8, 1.1 * u);
  ctx.beginPath();
  const h = y1 - y0;
  for (let x = x0 - h; x <= x1; x += gap) { ctx.moveTo(x, y1); ctx.lineTo(x + h, y0); }
  if (cross) for (let x = x0; x <= x1 + h; x += gap) { ctx.moveTo(x, y1); ctx.lineTo(x - h, y0); }
  ctx.stroke();
}

export function drawBase(ctx: CanvasRenderingContext2D, w: number, h: number, asset: MapAsset, fit: Fit,
  shapes: Shape[], regions: RegionShapes[], u: number): void {
  ctx.save();
  ctx.fillStyle = COLORS.ocean;
  ctx.fillRect(0, 0, w, h);
  graticule(ctx, asset, fit, u);

  const inRegion = new Set<Shape>();
  for (const r of regions) for (const s of r.shapes) inRegion.add(s);

  // the rest of the world: quiet land
  ctx.beginPath();
  tracePath(ctx, fit, shapes.filter((s) => !inRegion.has(s)));
  ctx.fillStyle = COLORS.land;
  ctx.fill('evenodd');
  ctx.strokeStyle = COLORS.landEdge;
  ctx.lineWidth = Math.max(0.5, 0.6 * u);
  ctx.lineJoin = 'round';
  ctx.stroke();

  for (const r of regions) {
    const color = ALIGNMENT_COLOR[r.alignment];
    const st = TIER_STYLE[r.tier];
    const path = new Path2D();
    let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
    const tiny: [number, number][] = [];
    for (const sh of r.shapes) {
      const [ax, ay] = toCanvas(fit, sh.box[0], sh.box[1]);
      const [cx, cy] = toCanvas(fit, sh.box[2], sh.box[3]);
      bx0 = Math.min(bx0, ax); by0 = Math.min(by0, ay); bx1 = Math.max(bx1, cx); by1 = Math.max(by1, cy);
      if (sh.area * fit.scale * fit.scale < TINY_PX2) tiny.push(shapeCentre(fit, sh));
      const { scale: s, ox, oy } = fit;
      for (const ring of sh.rings) {
        path.moveTo(ox + s * ring[0], oy + s * ring[1]);
        for (let i = 2; i < ring.length; i += 2) path.lineTo(ox + s * ring[i], oy + s * ring[i + 1]);
        path.closePath();
      }
    }
    const dot = Math.max(2.5, 3 * u);
    for (const [x, y] of tiny) { path.moveTo(x + dot, y); path.arc(x, y, dot, 0, Math.PI * 2); }
    // dark base so the tint reads the same over any neighbour
    ctx.fillStyle = COLORS.land;
    ctx.fill(path, 'evenodd');
    ctx.fillStyle = rgba(color, st.fillAlpha);
    ctx.fill(path, 'evenodd');
    if (st.hatch !== 'none') {
      ctx.save();
      ctx.clip(path, 'evenodd');
      hatch(ctx, [bx0, by0, bx1, by1], st.hatchGap * u, rgba(color, 0.42), st.hatch === 'cross', u);
      ctx.restore();
    }
    ctx.strokeStyle = color;
    ctx.lineWidth = st.outline.width * u;
    ctx.setLineDash(st.outline.dash.map((d) => d * u));
    ctx.stroke(path);
    ctx.setLineDash([]);
  }
  ctx.restore();
}

/** The still part of each flow: a faint path (and, for estimates, a band as wide as the uncertainty). */
export function drawFlowPaths(ctx: CanvasRenderingContext2D, flows: PlacedFlow[], u: number): void {
  ctx.save();
  ctx.lineCap = 'round';
  // legal trade first, the grey market over it
  const ordered = [...flows].sort((a, b) => Number(a.flow.kind === 'smuggling') - Number(b.flow.kind === 'smuggling'));
  for (const { flow, arc } of ordered) {
    const path = new Path2D();
    path.moveTo(arc.a[0], arc.a[1]);
    path.quadraticCurveTo(arc.c[0], arc.c[1], arc.b[0], arc.b[1]);
    if (flow.kind === 'smuggling') {
      ctx.strokeStyle = 'rgba(6,10,16,0.7)';
      ctx.lineWidth = smugglingWidth(flow.amount.high) * u + 3 * u;
      ctx.stroke(path);
      if (flow.estimated) {
        // uncertainty: a soft band as wide as the high estimate, the low end as a firm dashed core
        ctx.strokeStyle = rgba(COLORS.smuggling, 0.35);
        ctx.lineWidth = smugglingWidth(flow.amount.high) * u;
        ctx.stroke(path);
        ctx.strokeStyle = rgba(COLORS.smuggling, 0.95);
        ctx.lineWidth = Math.max(1, smugglingWidth(flow.amount.low) * u * 0.5);
        ctx.setLineDash([4 * u, 4 * u]);
        ctx.stroke(path);
      } else {
        ctx.strokeStyle = rgba(COLORS.smuggling, 0.9);
        ctx.lineWidth = Math.max(1, smugglingWidth(flow.amount.value) * u * 0.6);
        ctx.setLineDash([7 * u, 4 * u]);
        ctx.stroke(path);
      }
      ctx.setLineDash([]);
    } else {
      ctx.strokeStyle = rgba(COLORS.chips, flow.kind === 'legal' ? 0.3 : 0.16);
      ctx.lineWidth = Math.max(0.8, flowWidth(flow.amount.value) * u * 0.7);
      ctx.stroke(path);
    }
  }
  ctx.restore();
}

/** Text with a dark halo, readable over any fill. */
export function haloText(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, font: string, color: string, u: number, align: CanvasTextAlign = 'center'): number {
  ctx.font = font;
  ctx.textAlign = align;
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  ctx.strokeStyle = 'rgba(6,10,16,0.92)';
  ctx.lineWidth = 4 * u;
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
  return ctx.measureText(text).width;
}

/** Region labels centred on (x, y): the name, and under it the export tier as glyph and word. */
export function drawRegionLabels(ctx: CanvasRenderingContext2D, labels: PlacedLabel[], u: number, ut = u): void {
  const f = labelFonts(ut);
  ctx.save();
  for (const l of labels) {
    const st = TIER_STYLE[l.tier];
    haloText(ctx, l.name, l.x, l.y - f.lineGap / 2, f.name, COLORS.text, u);
    haloText(ctx, `${st.glyph} ${st.label}`, l.x, l.y + f.lineGap / 2, f.tier, ALIGNMENT_COLOR[l.alignment], u);
  }
  ctx.restore();
}

/** The key: what colours, patterns, lines and circles mean; (x, y) is its top-left corner, its size legendSize(). */
export function drawLegend(ctx: CanvasRenderingContext2D, x: number, y: number, u: number, opt: LegendOptions, columns = 1): { w: number; h: number } {
  const line = 17 * u;
  const { sw, sh } = LEGEND_SWATCH(u);
  // one swatch per row of legendLabels(opt), in the same order
  const swatches: Array<(cx: number, cy: number) => void> = [];
  for (const a of ['us', 'china', 'tier2'] as const) {
    swatches.push((cx, cy) => {
      ctx.fillStyle = rgba(ALIGNMENT_COLOR[a], 0.5);
      ctx.fillRect(cx, cy - sh / 2, sw, sh);
      ctx.strokeStyle = ALIGNMENT_COLOR[a]; ctx.lineWidth = 1.2 * u; ctx.strokeRect(cx, cy - sh / 2, sw, sh);
    });
  }
  for (const t of ['open', 'licensed', 'embargo'] as const) {
    swatches.push((cx, cy) => {
      const st = TIER_STYLE[t];
      ctx.save();
      ctx.beginPath(); ctx.rect(cx, cy - sh / 2, sw, sh); ctx.clip();
      ctx.fillStyle = rgba('#c8d3df', st.fillAlpha * 0.8); ctx.fillRect(cx, cy - sh / 2, sw, sh);
      if (st.hatch !== 'none') hatch(ctx, [cx, cy - sh / 2, cx + sw, cy + sh / 2], st.hatchGap * u * 0.8, 'rgba(220,230,240,0.8)', st.hatch === 'cross', u);
      ctx.restore();
      ctx.strokeStyle = '#c8d3df'; ctx.lineWidth = st.outline.width * u; ctx.setLineDash(st.outline.dash.map((d) => d * u * 0.6));
      ctx.strokeRect(cx, cy - sh / 2, sw, sh); ctx.setLineDash([]);
    });
  }
  swatches.push((cx, cy) => {
    ctx.strokeStyle = COLORS.chips; ctx.lineWidth = 2.5 * u; ctx.lineCap = 'round';
    ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(cx + sw, cy); ctx.stroke();
  });
  if (opt.smuggling !== 'none') {
    swatches.push((cx, cy) => {
      ctx.strokeStyle = COLORS.smuggling; ctx.lineWidth = 2.5 * u; ctx.setLineDash([4 * u, 3 * u]);
      ctx.beginPath(); ctx.moveTo(cx, cy); ctx.lineTo(cx + sw, cy); ctx.stroke(); ctx.setLineDash([]);
    });
  }
  swatches.push((cx, cy) => {
    ctx.strokeStyle = COLORS.text; ctx.lineWidth = 1.4 * u;
    ctx.beginPath(); ctx.arc(cx + sw / 2, cy, 5.5 * u, 0, Math.PI * 2); ctx.stroke();
  });
  const labels = legendLabels(opt);
  const fonts = legendFonts(u);
  const { w, h, rows } = legendGrid(canvasMeasure(ctx), u, opt, columns);
  ctx.save();
  ctx.fillStyle = 'rgba(8,13,20,0.8)';
  ctx.strokeStyle = 'rgba(120,140,160,0.35)';
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.roundRect(x, y, w, h, 6 * u); ctx.fill(); ctx.stroke();
  ctx.fillStyle = COLORS.textDim; ctx.font = fonts.title; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
  ctx.fillText('MAP KEY', x + 10 * u, y + 6 * u + line / 2);
  swatches.forEach((swatch, i) => {
    const cx = x + 10 * u + rows[i].dx, cy = y + 6 * u + line * (rows[i].line + 1.5);
    swatch(cx, cy);
    ctx.fillStyle = COLORS.text; ctx.font = fonts.row; ctx.textAlign = 'left'; ctx.textBaseline = 'middle';
    ctx.fillText(labels[i], cx + sw + 8 * u, cy);
  });
  ctx.restore();
  return { w, h };
}

export function gaugeX(g: GaugeBox, months: number): number {
  const pad = 14;
  const t = (Math.max(g.min, Math.min(g.max, months)) - g.min) / (g.max - g.min);
  return g.x + pad + t * (g.w - 2 * pad);
}

/** The lead gauge's still parts: panel, title, scale, parity line and the sweet-spot band. */
export function drawGaugeFrame(ctx: CanvasRenderingContext2D, g: GaugeBox, band: [number, number], title: string, note: string, u: number): { trackY: number; th: number } {
  ctx.save();
  ctx.fillStyle = 'rgba(8,13,20,0.82)';
  ctx.strokeStyle = 'rgba(120,140,160,0.35)';
  ctx.lineWidth = 1;
  ctx.beginPath(); ctx.roundRect(g.x, g.y, g.w, g.h, 6 * u); ctx.fill(); ctx.stroke();
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.fillStyle = COLORS.text;
  const fonts = gaugeFonts(u);
  ctx.font = fonts.title;
  ctx.fillText(title, g.x + 12 * u, g.y + g.textTop + 15 * u);
  ctx.fillStyle = COLORS.textDim;
  ctx.font = fonts.note;
  ctx.fillText(note, g.x + 12 * u, g.y + g.textTop + 30 * u);

  const th = 16 * u;
  const trackY = g.y + g.h - 27 * u;
  const x0 = gaugeX(g, g.min), x1 = gaugeX(g, g.max);
  ctx.fillStyle = 'rgba(160,180,200,0.14)';
  ctx.fillRect(x0, trackY - th / 2, x1 - x0, th);
  // the sweet spot, named inside the band
  const b0 = gaugeX(g, band[0]), b1 = gaugeX(g, band[1]);
  ctx.fillStyle = rgba(COLORS.band, 0.5);
  ctx.fillRect(b0, trackY - th / 2, b1 - b0, th);
  ctx.strokeStyle = COLORS.band; ctx.lineWidth = 1.5 * u;
  ctx.strokeRect(b0, trackY - th / 2, b1 - b0, th);
  ctx.fillStyle = '#d9fff2'; ctx.textAlign = 'center';
  ctx.font = `700 ${Math.round(9.5 * u)}px ${FONT}`;
  ctx.fillText('SWEET SPOT', (b0 + b1) / 2, trackY + 0.5);
  // ticks
  ctx.fillStyle = COLORS.textDim; ctx.strokeStyle = 'rgba(200,215,230,0.5)'; ctx.lineWidth = 1;
  ctx.font = `${Math.round(10 * u)}px ${FONT}`;
  const step = g.max - g.min > 60 ? 12 : 6;
  for (let m = Math.ceil(g.min / step) * step; m <= g.max; m += step) {
    const x = gaugeX(g, m);
    ctx.beginPath(); ctx.moveTo(x, trackY + th / 2); ctx.lineTo(x, trackY + th / 2 + 4 * u); ctx.stroke();
    ctx.fillText(m === 0 ? '0' : m < 0 ? `−${-m}` : `${m}`, x, trackY + th / 2 + 12 * u);
  }
  ctx.textAlign = 'left';
  ctx.fillText('◀ China ahead', x0, trackY - th / 2 - 8 * u);
  // parity
  const z = gaugeX(g, 0);
  ctx.strokeStyle = 'rgba(230,240,250,0.7)'; ctx.lineWidth = 1.5 * u;
  ctx.beginPath(); ctx.moveTo(z, trackY - th / 2 - 3 * u); ctx.lineTo(z, trackY + th / 2 + 3 * u); ctx.stroke();
  ctx.restore();
  return { trackY, th };
}

export function describeFlow(f: Flow): string {
  const a = f.amount;
  if (f.estimated) return `~${fmtChips(a.value)} (${fmtChips(a.low)}–${fmtChips(a.high)})`;
  return fmtChips(a.value);
}
