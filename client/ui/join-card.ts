// The big join code, the link to type and a QR code to scan: for the board, the projector and invitations.
// On a local server (opened at localhost) the link and QR use the machine's LAN address, so phones in the room can join.
import { renderSVG } from 'uqr';
import { h, svg } from './dom.ts';

interface JoinBase { base: string; source: 'public-url' | 'lan' | 'request'; note: string }

let asked: Promise<JoinBase | null> | null = null;
/** Where the join link starts (the server knows PUBLIC_URL and its LAN address); asked once per page. */
function joinBase(): Promise<JoinBase | null> {
  asked ??= fetch('/api/join-base').then((r) => (r.ok ? (r.json() as Promise<JoinBase>) : null)).catch(() => null);
  return asked;
}

export function joinUrl(code: string, base = location.origin): string {
  return `${base}/join/${code}`;
}

export function joinCard(code: string, options: { large?: boolean } = {}): HTMLElement {
  let url = joinUrl(code);
  // the QR is redrawn in place once the server says where phones join from (layout as if it were the card's own child)
  const qrBox = h('div', { class: 'qr-box', style: 'display: contents' });
  const link = h('a', { href: url }, url.replace(/^https?:\/\//, ''));
  const note = h('p', { class: 'hint join-note', hidden: true });
  const show = () => {
    const qr = svg(renderSVG(url, { border: 2, ecc: 'M', pixelSize: 8 }));
    qr.setAttribute('role', 'img');
    qr.setAttribute('aria-label', `QR code for ${url}`);
    qr.classList.add('qr');
    qrBox.replaceChildren(qr);
    link.href = url;
    link.textContent = url.replace(/^https?:\/\//, '');
  };
  show();
  void joinBase().then((b) => {
    if (!b) return;
    if (b.base !== location.origin) { url = joinUrl(code, b.base); show(); }
    if (b.note && !options.large) { note.textContent = b.note; note.hidden = false; }
  });
  const copy = h('button', {
    type: 'button', class: 'small',
    onclick: async () => {
      try { await navigator.clipboard.writeText(url); copy.textContent = 'Copied ✓'; } catch { copy.textContent = 'Select the link to copy'; }
      setTimeout(() => { copy.textContent = 'Copy link'; }, 2500);
    },
  }, 'Copy link');
  return h('section', { class: `join-card ${options.large ? 'large' : ''}`, 'aria-label': 'How to join' },
    h('div', { class: 'join-text' },
      h('p', { class: 'eyebrow' }, 'Join code'),
      h('p', { class: 'big-code', 'aria-label': `Join code ${code.split('').join(' ')}` }, code),
      h('p', { class: 'join-url' }, 'Go to ', link, options.large ? null : [' ', copy]),
      note),
    qrBox);
}
