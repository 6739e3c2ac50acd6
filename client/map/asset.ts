// The prepared world map (assets/map/world.json, made by scripts/build-map.ts): Natural Earth
// countries by ISO alpha-3 code, already projected (Equal Earth) into integer map units.
import { geoEqualEarthRaw } from 'd3-geo';

/** The projection the asset was made with; the client projects anchors the same way. */
export const MAP_PROJECTION = { width: 2000, height: 1200, rotate: 10 } as const;

export interface MapCountry {
  /** ISO 3166-1 alpha-3, or '' for land that belongs to no code (e.g. N. Cyprus) */
  iso: string;
  name: string;
  /** rings of delta-encoded integer points: x0, y0, dx1, dy1, ... */
  rings: number[][];
}

export interface MapAsset {
  source: string;
  projection: { name: 'equalEarth'; rotate: number; scale: number; translate: [number, number] };
  /** extent of the map units */
  width: number;
  height: number;
  countries: MapCountry[];
}

/** A country decoded into absolute map units, with its bounding box. */
export interface Shape {
  iso: string;
  name: string;
  rings: Float32Array[];
  box: [number, number, number, number];
  /** area in map units² (for deciding when a country is too small to see) */
  area: number;
}

export function decodeRing(enc: number[]): Float32Array {
  const out = new Float32Array(enc.length);
  let x = 0, y = 0;
  for (let i = 0; i < enc.length; i += 2) {
    x = i === 0 ? enc[0] : x + enc[i];
    y = i === 0 ? enc[1] : y + enc[i + 1];
    out[i] = x; out[i + 1] = y;
  }
  return out;
}

function ringArea(r: Float32Array): number {
  let a = 0;
  for (let i = 0, n = r.length; i < n; i += 2) {
    const j = (i + 2) % n;
    a += r[i] * r[j + 1] - r[j] * r[i + 1];
  }
  return a / 2;
}

export function decodeAsset(asset: MapAsset): Shape[] {
  return asset.countries.map((c) => {
    const rings = c.rings.map(decodeRing);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, area = 0;
    for (const r of rings) {
      for (let i = 0; i < r.length; i += 2) {
        if (r[i] < x0) x0 = r[i]; if (r[i] > x1) x1 = r[i];
        if (r[i + 1] < y0) y0 = r[i + 1]; if (r[i + 1] > y1) y1 = r[i + 1];
      }
      area += Math.abs(ringArea(r));
    }
    return { iso: c.iso, name: c.name, rings, box: [x0, y0, x1, y1], area };
  });
}

/** [longitude, latitude] in degrees → map units, as the asset's projection places them. */
export function projectLonLat(asset: MapAsset, lon: number, lat: number): [number, number] {
  const p = asset.projection;
  let lambda = ((lon - p.rotate) * Math.PI) / 180;
  lambda = ((((lambda + Math.PI) % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI)) - Math.PI;
  const [x, y] = geoEqualEarthRaw(lambda, (lat * Math.PI) / 180);
  return [p.translate[0] + p.scale * x, p.translate[1] - p.scale * y];
}

/** Even-odd point-in-polygon over all rings of a shape (holes work too). */
export function shapeContains(s: Shape, x: number, y: number): boolean {
  const [x0, y0, x1, y1] = s.box;
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  let inside = false;
  for (const r of s.rings) {
    for (let i = 0, n = r.length, j = n - 2; i < n; j = i, i += 2) {
      const xi = r[i], yi = r[i + 1], xj = r[j], yj = r[j + 1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}
