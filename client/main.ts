// Entry point of the browser client: styles, then the router picks the screen for the address.
import './styles.css';
import { startApp } from './app/router.ts';

startApp(document.getElementById('app')!);
