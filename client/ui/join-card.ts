// The big join code, the link to type and a QR code to scan: for the board, the projector and invitations.
import { renderSVG } from 'uqr';
import { h, svg } from './dom.ts';

export function joinUrl(code: string): string {
  return `${location.origin}/join/${code}`;
}

export function joinCard(code: string, options: { large?: boolean } = {}): HTMLElement {
  const url = joinUrl(code);
  const qr = svg(renderSVG(url, { border: 2, ecc: 'M', pixelSize: 8 }));
  qr.setAttribute('role', 'img');
  qr.setAttribute('aria-label', `QR code for ${url}`);
  qr.classList.add('qr');
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
      h('p', { class: 'join-url' }, 'Go to ', h('a', { href: url }, url.replace(/^https?:\/\//, '')), options.large ? null : [' ', copy])),
    qr);
}
