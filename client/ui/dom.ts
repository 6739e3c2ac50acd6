// A tiny DOM builder: h('button', { class: 'primary', onclick }, 'Submit'). Panels update their own nodes in place.
type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown> & { class?: string; style?: string; dataset?: Record<string, string> };

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = String(v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
      else if (k in el && !k.includes('-') && k !== 'list' && k !== 'form') (el as unknown as Record<string, unknown>)[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** Sets text only when it changed (keeps screen readers and selections calm). */
export function text(el: Element, value: string): void {
  if (el.textContent !== value) el.textContent = value;
}

export function svg(markup: string): SVGElement {
  const t = document.createElement('template');
  t.innerHTML = markup.trim();
  return t.content.firstElementChild as SVGElement;
}

let idCounter = 0;
export const uid = (prefix = 'id') => `${prefix}-${++idCounter}`;

/** A polite announcement for screen readers (phase changes, results). */
export function announce(message: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 30);
}

/** A short message at the bottom of the screen; errors stay until dismissed. */
export function toast(message: string, kind: 'info' | 'error' | 'ok' = 'info', details: string[] = []): void {
  const box = document.getElementById('toasts');
  if (!box) return;
  const close = h('button', { class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×');
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'toast-icon', 'aria-hidden': 'true' }, kind === 'error' ? '⚠' : kind === 'ok' ? '✓' : 'ℹ'),
    h('div', null, h('div', null, message), details.length ? h('ul', null, details.map((d) => h('li', null, d))) : null),
    close);
  box.appendChild(item);
  while (box.children.length > 4) box.firstElementChild?.remove();
  if (kind !== 'error') setTimeout(() => item.remove(), 5000);
  else setTimeout(() => item.remove(), 15000);
}
