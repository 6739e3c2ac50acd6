// Prepares the world map the client ships: Natural Earth countries from the world-atlas package,
// keyed by ISO 3166-1 alpha-3 code, projected once with d3-geo's Equal Earth projection and
// quantised to small integers, so the browser only scales the shapes to its canvas.
//
//   npm run build:map            writes assets/map/world.json
//   npm run build:map -- --check fails if the committed file is not what this script makes
//
// Geometry: the 110m countries (light, enough for a 1366 px to 4K map); countries missing at that
// scale (Singapore, Bahrain, Hong Kong, small islands...) come from the 50m file so that any ISO code
// a rule file names has a shape. Antarctica is left out: nothing in the game happens there.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import { COUNTRIES } from '../shared/rules/countries.ts';
import { MAP_PROJECTION, type MapAsset, type MapCountry } from '../client/map/asset.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const OUT = join(root, 'assets/map/world.json');

/** world-atlas names that differ from the ISO short names in shared/rules/countries.ts */
const NAME_TO_ISO: Record<string, string | null> = {
  'United States of America': 'USA', 'Turkey': 'TUR', 'S. Sudan': 'SSD', 'Solomon Is.': 'SLB', 'W. Sahara': 'ESH',
  'Macedonia': 'MKD', 'Fr. S. Antarctic Lands': 'ATF', 'Eq. Guinea': 'GNQ', 'Dominican Rep.': 'DOM',
  'Dem. Rep. Congo': 'COD', 'Central African Rep.': 'CAF', 'Bosnia and Herz.': 'BIH', 'Falkland Is.': 'FLK',
  'Kosovo': 'XKX', 'Vatican': 'VAT', 'Marshall Is.': 'MHL', 'N. Mariana Is.': 'MNP', 'U.S. Virgin Is.': 'VIR',
  'S. Geo. and the Is.': 'SGS', 'Br. Indian Ocean Ter.': 'IOT', 'Pitcairn Is.': 'PCN', 'Cayman Is.': 'CYM',
  'British Virgin Is.': 'VGB', 'Turks and Caicos Is.': 'TCA', 'St. Vin. and Gren.': 'VCT', 'St. Kitts and Nevis': 'KNA',
  'Cook Is.': 'COK', 'St. Pierre and Miquelon': 'SPM', 'Wallis and Futuna Is.': 'WLF', 'St-Martin': 'MAF',
  'St-Barthélemy': 'BLM', 'Fr. Polynesia': 'PYF', 'Åland': 'ALA', 'Faeroe Is.': 'FRO', 'Heard I. and McDonald Is.': 'HMD',
  'Antigua and Barb.': 'ATG',
  // drawn as land but belong to no region code
  'N. Cyprus': null, 'Somaliland': null, 'Ashmore and Cartier Is.': null, 'Indian Ocean Ter.': null, 'Siachen Glacier': null,
};

const norm = (s: string) => s.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '');
const BY_NAME = new Map([...COUNTRIES.values()].map((c) => [norm(c.name), c.alpha3]));

export function isoFor(name: string): string | null {
  if (name in NAME_TO_ISO) return NAME_TO_ISO[name];
  const code = BY_NAME.get(norm(name));
  if (!code) throw new Error(`build-map: no ISO code for world-atlas country "${name}"; add it to NAME_TO_ISO`);
  return code;
}

type CountryFeature = Feature<Geometry, { name: string }>;

function countries(file: string): CountryFeature[] {
  const topo = JSON.parse(readFileSync(require.resolve(`world-atlas/${file}`), 'utf8')) as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  return (feature(topo, topo.objects.countries) as unknown as { features: CountryFeature[] }).features;
}

/** Records a projected path as rings of integer points. */
class RingRecorder {
  rings: number[][] = [];
  private ring: number[] = [];
  moveTo(x: number, y: number) { this.flush(); this.push(x, y); }
  lineTo(x: number, y: number) { this.push(x, y); }
  closePath() { this.flush(); }
  arc() { /* points are not drawn */ }
  private push(x: number, y: number) {
    const qx = Math.round(x), qy = Math.round(y);
    const n = this.ring.length;
    if (n >= 2 && this.ring[n - 2] === qx && this.ring[n - 1] === qy) return;
    this.ring.push(qx, qy);
  }
  flush() {
    if (this.ring.length >= 6) this.rings.push(this.ring);
    this.ring = [];
  }
}

/** Douglas–Peucker on a closed ring of x, y pairs: drops points closer than eps to the simplified line. */
export function simplifyRing(ring: number[], eps: number): number[] {
  const n = ring.length / 2;
  if (n <= 4) return ring;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  // a closed ring's first and last points coincide: split it at its farthest point first
  let far = 0, best = -1;
  for (let i = 1; i < n; i++) {
    const d = (ring[2 * i] - ring[0]) ** 2 + (ring[2 * i + 1] - ring[1]) ** 2;
    if (d > best) { best = d; far = i; }
  }
  keep[far] = 1;
  stack.pop();
  stack.push([0, far], [far, n - 1]);
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = ring[2 * a], ay = ring[2 * a + 1], bx = ring[2 * b], by = ring[2 * b + 1];
    const dx = bx - ax, dy = by - ay, len = Math.hypot(dx, dy) || 1;
    let idx = -1, max = eps;
    for (let i = a + 1; i < b; i++) {
      const d = Math.abs(dy * ring[2 * i] - dx * ring[2 * i + 1] + bx * ay - by * ax) / len;
      if (d > max) { max = d; idx = i; }
    }
    if (idx >= 0) { keep[idx] = 1; stack.push([a, idx], [idx, b]); }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(ring[2 * i], ring[2 * i + 1]);
  return out.length >= 6 ? out : ring;
}

/** Delta-encodes a ring: the first point absolute, then differences (small numbers, short JSON). */
function deltaEncode(ring: number[]): number[] {
  const out = [ring[0], ring[1]];
  for (let i = 2; i < ring.length; i += 2) out.push(ring[i] - ring[i - 2], ring[i + 1] - ring[i - 1]);
  return out;
}

export function buildMap(): MapAsset {
  const base = countries('countries-110m.json');
  const detail = countries('countries-50m.json');
  const chosen: { iso: string | null; name: string; f: CountryFeature }[] = [];
  const have = new Set<string>();
  for (const f of base) {
    const iso = isoFor(f.properties.name);
    if (iso === 'ATA') continue;
    chosen.push({ iso, name: f.properties.name, f });
    if (iso) have.add(iso);
  }
  for (const f of detail) {
    const iso = isoFor(f.properties.name);
    if (!iso || iso === 'ATA' || have.has(iso)) continue;
    chosen.push({ iso, name: f.properties.name, f });
    have.add(iso);
  }

  const { width, height, rotate } = MAP_PROJECTION;
  const projection = geoEqualEarth().rotate([-rotate, 0])
    .fitExtent([[4, 4], [width - 4, height - 4]], { type: 'FeatureCollection', features: chosen.map((c) => c.f) });
  // keep the height the shapes need, so the client can letterbox exactly
  const [[, y0], [, y1]] = geoPath(projection).bounds({ type: 'FeatureCollection', features: chosen.map((c) => c.f) });
  const usedHeight = Math.ceil(y1 - y0 + 8);
  const dy = Math.floor(y0 - 4);
  projection.translate([projection.translate()[0], projection.translate()[1] - dy]);

  const out: MapCountry[] = [];
  for (const c of chosen) {
    const rec = new RingRecorder();
    geoPath(projection, rec as never)(c.f);
    rec.flush();
    if (!rec.rings.length) continue;
    out.push({ iso: c.iso ?? '', name: c.name, rings: rec.rings.map((r) => deltaEncode(simplifyRing(r, 0.6))) });
  }
  out.sort((a, b) => (a.iso || 'ZZZ').localeCompare(b.iso || 'ZZZ') || a.name.localeCompare(b.name));
  return {
    source: 'Natural Earth via world-atlas 2 (countries-110m, small countries from countries-50m); public domain',
    projection: { name: 'equalEarth', rotate, scale: projection.scale(), translate: projection.translate() as [number, number] },
    width, height: Math.min(height, usedHeight),
    countries: out,
  };
}

function serialise(asset: MapAsset): string {
  // one country per line: diffs stay readable and the file stays small
  const head = JSON.stringify({ ...asset, countries: undefined });
  const body = asset.countries.map((c) => JSON.stringify(c)).join(',\n');
  return `${head.slice(0, -1)},"countries":[\n${body}\n]}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = serialise(buildMap());
  if (process.argv.includes('--check')) {
    let old = '';
    try { old = readFileSync(OUT, 'utf8'); } catch { /* missing */ }
    if (old !== text) { console.error('assets/map/world.json is stale: run npm run build:map'); process.exit(1); }
    console.log('assets/map/world.json is up to date');
  } else {
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT.slice(root.length)}: ${(text.length / 1024).toFixed(0)} KB`);
  }
}
