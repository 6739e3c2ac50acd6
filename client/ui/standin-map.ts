// STAND-IN until client/scenes/MapScene.ts lands (the map engineer's): same show() interface, anchors only.
import Phaser from 'phaser';
import type { RuleFile, PublicWorld, RoleView, Side } from '../app/types.ts';

export interface MapInput { rules: RuleFile; world: PublicWorld; view: RoleView | null; side: Side | null; projector: boolean }

const COLOR = { us: 0x56b4e9, china: 0xe69f00, tier2: 0xcc79a7 } as const;

export class MapScene extends Phaser.Scene {
  private input_: MapInput | null = null;
  private layer: Phaser.GameObjects.Container | null = null;
  constructor() { super({ key: 'map' }); }
  create() {
    this.scale.on('resize', () => this.draw());
    this.draw();
  }
  show(input: MapInput) { this.input_ = input; if (this.sys.isActive()) this.draw(); }
  private draw() {
    this.layer?.destroy();
    const { width, height } = this.scale;
    const layer = this.add.container(0, 0);
    this.layer = layer;
    const g = this.add.graphics();
    g.fillStyle(0x0a111b).fillRect(0, 0, width, height);
    g.lineStyle(1, 0x142131);
    for (let lon = -180; lon <= 180; lon += 30) { const x = ((lon + 180) / 360) * width; g.lineBetween(x, 0, x, height); }
    for (let lat = -60; lat <= 90; lat += 30) { const y = ((90 - lat) / 180) * height; g.lineBetween(0, y, width, y); }
    layer.add(g);
    const input = this.input_;
    if (!input) return;
    for (const r of input.rules.regions) {
      const x = ((r.anchor[0] + 180) / 360) * width, y = ((90 - r.anchor[1]) / 180) * height;
      const c = COLOR[r.alignment];
      const dot = this.add.circle(x, y, 10, c, 0.9);
      const label = this.add.text(x + 14, y - 10, `${r.name}\n${input.world.regions[r.id]?.tier ?? ''}`, { fontFamily: 'system-ui', fontSize: '13px', color: '#e8eef5' });
      layer.add([dot, label]);
    }
  }
}
