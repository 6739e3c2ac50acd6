// Entry point: styles, then the router picks the screen for the address.
import './styles.css';
import { startApp } from './ui/router.ts';

performance.mark('w2028:boot');
startApp(document.getElementById('app')!);
