// Entry point: styles, a match page's look-ups started at once (they overlap the download of the screens' code),
// then the router, which loads the code of the screen the address asks for.
import './styles.css';
import { lookUpMatchEarly } from './net/api.ts';
import { MATCH_PATH } from './ui/paths.ts';
import { startApp } from './ui/router.ts';
import { painterModule } from './ui/map-view.ts';

performance.mark('w2028:boot');
const match = MATCH_PATH.exec(location.pathname);
if (match) lookUpMatchEarly(match[2]);
// the still map's code too (small): it arrives and runs while the screens' larger code is still on its way
if (match && match[1] !== 'facilitate') painterModule().catch(() => {});
startApp(document.getElementById('app')!);
