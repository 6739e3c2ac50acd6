// Accessible tabs (WAI-ARIA pattern): arrow keys move between tabs, each tab shows one panel.
import { h, uid } from './dom.ts';

export class Tabs {
  readonly el: HTMLElement;
  readonly panels: Record<string, HTMLElement> = {};
  private tabs: Record<string, HTMLButtonElement> = {};
  private badges: Record<string, HTMLElement> = {};
  current: string;

  constructor(items: [id: string, label: string][], label: string) {
    const list = h('div', { role: 'tablist', 'aria-label': label, class: 'tablist' });
    const panels = h('div', { class: 'tabpanels' });
    for (const [id, text] of items) {
      const tabId = uid(`tab-${id}`), panelId = uid(`panel-${id}`);
      const badge = h('span', { class: 'tab-badge' });
      const tab = h('button', { type: 'button', role: 'tab', id: tabId, 'aria-controls': panelId, class: 'tab', dataset: { tab: id }, onclick: () => this.select(id) }, text, badge);
      tab.addEventListener('keydown', (e) => {
        const ids = items.map((i) => i[0]);
        const i = ids.indexOf(id);
        const next = e.key === 'ArrowRight' ? ids[(i + 1) % ids.length] : e.key === 'ArrowLeft' ? ids[(i - 1 + ids.length) % ids.length] : e.key === 'Home' ? ids[0] : e.key === 'End' ? ids[ids.length - 1] : null;
        if (next) { e.preventDefault(); this.select(next); this.tabs[next].focus(); }
      });
      const panel = h('div', { role: 'tabpanel', id: panelId, 'aria-labelledby': tabId, tabindex: 0, class: 'tabpanel', dataset: { panel: id } });
      this.tabs[id] = tab;
      this.panels[id] = panel;
      this.badges[id] = badge;
      list.append(tab);
      panels.append(panel);
    }
    // the panels' own headings (h3) sit under this one: a screen reader's outline goes h1, h2, h3 without a gap
    this.el = h('div', { class: 'tabs' }, h('h2', { class: 'visually-hidden' }, label), list, panels);
    this.current = items[0][0];
    this.select(this.current);
  }

  select(id: string): void {
    this.current = id;
    for (const [k, tab] of Object.entries(this.tabs)) {
      const on = k === id;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      this.panels[k].hidden = !on;
    }
    this.badge(id, '');
  }

  /** A count of news on a tab that is not shown (text, so not colour alone). */
  badge(id: string, value: string): void {
    const b = this.badges[id];
    if (!b) return;
    b.textContent = value ? ` (${value})` : '';
  }
}
