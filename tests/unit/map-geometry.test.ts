// The shipped map geometry: every country the rule files draw has a shape, projected like the client projects.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { geoEqualEarth } from 'd3-geo';
import { defaultRules, rulesPath } from '../helpers/rules.ts';
import { loadRulesFile } from '../../shared/rules/load.ts';
import { decodeAsset, projectLonLat, shapeContains, type MapAsset } from '../../client/map/asset.ts';
import { fitMap, toCanvas, toMap } from '../../client/map/layout.ts';
import { buildMap } from '../../scripts/build-map.ts';

const asset = JSON.parse(readFileSync(fileURLToPath(new URL('../../assets/map/world.json', import.meta.url)), 'utf8')) as MapAsset;
const shapes = decodeAsset(asset);
const byIso = new Map(shapes.map((s) => [s.iso, s]));

describe('map geometry (assets/map/world.json)', () => {
  it('has a shape for every ISO code of the default and two-player rule files', () => {
    for (const rules of [defaultRules(), loadRulesFile(rulesPath('two-player.yaml'))]) {
      for (const r of rules.regions) for (const c of r.countries) expect(byIso.has(c), `${r.id}: ${c}`).toBe(true);
    }
  });

  it('keeps small hubs that Natural Earth 110m leaves out (Singapore, Bahrain, Hong Kong)', () => {
    for (const c of ['SGP', 'BHR', 'HKG']) expect(byIso.has(c), c).toBe(true);
  });

  it('is small enough to ship and leaves Antarctica out', () => {
    expect(readFileSync(fileURLToPath(new URL('../../assets/map/world.json', import.meta.url))).length).toBeLessThan(120_000);
    expect(byIso.has('ATA')).toBe(false);
    expect(shapes.length).toBeGreaterThan(170);
  });

  it('is what scripts/build-map.ts makes from the world-atlas package', () => {
    const fresh = buildMap();
    expect(fresh.countries.length).toBe(asset.countries.length);
    expect(fresh.projection).toEqual(asset.projection);
    expect(fresh.countries.map((c) => c.iso)).toEqual(asset.countries.map((c) => c.iso));
  });

  it('projects anchors exactly as d3-geo projected the shapes', () => {
    const p = asset.projection;
    const d3 = geoEqualEarth().rotate([-p.rotate, 0]).scale(p.scale).translate(p.translate);
    for (const [lon, lat] of [[-98, 39], [104, 35], [133, 33], [-170, 60], [179, -40], [10, 0]]) {
      const [x, y] = projectLonLat(asset, lon, lat);
      const [ex, ey] = d3([lon, lat])!;
      expect(x).toBeCloseTo(ex, 6);
      expect(y).toBeCloseTo(ey, 6);
    }
  });

  it('finds countries at their anchors (point in polygon)', () => {
    const at = (lon: number, lat: number) => projectLonLat(asset, lon, lat);
    expect(shapeContains(byIso.get('USA')!, ...at(-98, 39))).toBe(true);
    expect(shapeContains(byIso.get('CHN')!, ...at(104, 35))).toBe(true);
    expect(shapeContains(byIso.get('IND')!, ...at(79, 22))).toBe(true);
    expect(shapeContains(byIso.get('CHN')!, ...at(-98, 39))).toBe(false);
    expect(shapeContains(byIso.get('USA')!, ...at(-40, 30))).toBe(false); // the Atlantic
  });

  it('fits the canvas: inside it, centred, as large as the aspect ratio allows', () => {
    for (const [w, h] of [[1366, 768], [1920, 1080], [390, 844], [800, 800]]) {
      const fit = fitMap(asset.width, asset.height, w, h);
      expect(fit.ox).toBeGreaterThanOrEqual(-1e-9);
      expect(fit.oy).toBeGreaterThanOrEqual(-1e-9);
      expect(fit.ox + fit.width).toBeLessThanOrEqual(w + 1e-9);
      expect(fit.oy + fit.height).toBeLessThanOrEqual(h + 1e-9);
      expect(Math.max(fit.width / w, fit.height / h)).toBeCloseTo(1, 9);
      for (const s of shapes) {
        const [x0, y0] = toCanvas(fit, s.box[0], s.box[1]);
        const [x1, y1] = toCanvas(fit, s.box[2], s.box[3]);
        expect(x0).toBeGreaterThanOrEqual(0); expect(y0).toBeGreaterThanOrEqual(0);
        expect(x1).toBeLessThanOrEqual(w); expect(y1).toBeLessThanOrEqual(h);
      }
      const [mx, my] = toMap(fit, ...toCanvas(fit, 1234, 567));
      expect(mx).toBeCloseTo(1234, 9); expect(my).toBeCloseTo(567, 9);
    }
  });

  it('keeps the map clear of insets (DOM panels)', () => {
    const fit = fitMap(asset.width, asset.height, 1366, 768, { top: 60, right: 360, bottom: 0, left: 0 });
    expect(fit.ox + fit.width).toBeLessThanOrEqual(1366 - 360 + 1e-9);
    expect(fit.oy).toBeGreaterThanOrEqual(60);
  });
});
