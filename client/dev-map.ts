// The map on its own, fed by a bot match played in the page: for looking at it and measuring frames.
import Phaser from 'phaser';
import rulesText from '../assets/rules/default.yaml?raw';
import { checkRulesText } from '../shared/rules/check.ts';
import { initialState } from '../shared/engine/setup.ts';
import { resolveTurnInPlace } from '../shared/engine/resolve.ts';
import { botNegotiation, botOrders } from '../shared/sim/botMatch.ts';
import { roleView, publicView } from '../shared/engine/views.ts';
import { MapScene } from './scenes/MapScene.ts';
import { MapPainter } from './map/painter.ts';

const q = new URLSearchParams(location.search);
const as = q.get('as') ?? 'us';
const turns = Number(q.get('turn') ?? 3);
const seed = Number(q.get('seed') ?? 1);
const personality = (q.get('bots') ?? 'status-quo') as 'status-quo' | 'hawk' | 'dove';

const { rules } = checkRulesText(rulesText, 'default.yaml');
if (!rules) throw new Error('rules did not load');
const state = initialState(rules, seed);
const seating = Object.fromEntries(rules.roles.map((r) => [r.id, personality]));
for (let t = 0; t < turns && !state.finished; t++) {
  botNegotiation(rules, state, seating);
  resolveTurnInPlace(rules, state, botOrders(rules, state, seating));
}
function input() {
  if (as === 'projector') return { rules: rules!, world: publicView(rules!, state).world, view: null, side: null, projector: true };
  const role = rules!.roles.find((r) => r.side === as)!;
  const view = roleView(rules!, state, role.id);
  return { rules: rules!, world: view.world, view, side: view.side, projector: false };
}

// ?scene=empty: the same game with an empty scene, the baseline for frame-time measurements
class EmptyScene extends Phaser.Scene { show() {} }
const scene = q.get('scene') === 'empty' ? new EmptyScene('map') : new MapScene();
const game = new Phaser.Game({
  type: Phaser.AUTO,
  parent: 'game',
  backgroundColor: '#0a111b',
  transparent: q.get('transparent') !== '0',
  scale: { mode: Phaser.Scale.RESIZE, width: window.innerWidth, height: window.innerHeight },
  scene: [scene],
});
// the still map under the game canvas, as on the match screen (client/ui/map-view.ts)
const box = document.getElementById('game')!;
const painter = new MapPainter(box);
game.canvas.style.cssText += ';position:absolute;left:0;top:0;';
painter.show(input());
new ResizeObserver(() => painter.resize()).observe(box);
if (scene instanceof MapScene) scene.attach(painter);
box.addEventListener('pointerdown', (e) => console.log('select', JSON.stringify(painter.regionAt(e.offsetX, e.offsetY))));

// for the screenshot script: frame times and a way to step the match
const frames: number[] = [];
game.events.on(Phaser.Core.Events.POST_RENDER, () => frames.push(performance.now()));
Object.assign(window, {
  __map: {
    scene, game, painter, state, rules,
    ready: () => frames.length > 5,
    frames: () => frames.slice(),
    step(n = 1) {
      for (let i = 0; i < n && !state.finished; i++) {
        botNegotiation(rules!, state, seating);
        resolveTurnInPlace(rules!, state, botOrders(rules!, state, seating));
      }
      painter.show(input());
    },
  },
});
