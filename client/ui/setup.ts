// The creator's set-up: rule file, lesson length and its plan, seats per role, bots and their personalities, timers, visibility.
import { h, append, uid } from './dom.ts';
import { lessonPlan, LESSON } from '../../shared/match/lesson.ts';
import { api, type RulesSummary, type CreateMatchBody } from '../net/api.ts';
import { seats as seatStore } from '../net/session.ts';
import type { Nav, Screen } from './screen.ts';

export const PERSONALITIES: [string, string][] = [
  ['status-quo', 'Status quo: keeps the 2026 policies'],
  ['hawk', 'Hawk: strict controls or all-out acquisition'],
  ['dove', 'Dove: relaxed controls, safety, agreements'],
  ['opportunist', 'Opportunist: shifts as the lead moves'],
  ['random', 'Random: any valid order'],
];

const PHASES = [['briefing', 'Briefing'], ['negotiation', 'Negotiation'], ['orders', 'Orders'], ['report', 'Report']] as const;
const CLASS_TIMERS = { briefing: 120, negotiation: 240, orders: 240, report: 120 };

export function setupScreen(nav: Nav, mode: 'class' | 'online'): Screen {
  const isClass = mode === 'class';
  const status = h('p', { class: 'loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Loading rule files…');
  const form = h('form', { class: 'setup-form', 'aria-describedby': 'setup-intro', novalidate: true });
  const error = h('div', { class: 'form-error', role: 'alert' });
  const el = h('div', { class: 'screen setup-screen' },
    h('nav', { class: 'crumbs' }, h('a', { href: '/', dataset: { nav: '' } }, '← The 2028 Window')),
    h('h1', null, isClass ? 'Set up a class session' : 'A private match with friends'),
    h('p', { id: 'setup-intro', class: 'lede' }, isClass
      ? 'Choose the teams and timers. You get a join code, a link and a QR code for the board; students join from any browser.'
      : 'Choose who plays what. You get a code to send to your friends; bots take the seats nobody fills.'),
    status, form, error);

  void api.rules().then((files) => {
    status.remove();
    buildForm(files);
  }).catch((err) => { status.textContent = `Could not load the rule files: ${(err as Error).message}`; });

  function buildForm(files: RulesSummary[]) {
    const ruleSelect = h('select', { id: 'rules', name: 'rules' }, files.map((f) => h('option', { value: f.name }, `${f.title} (${f.name})`)));
    const ruleDesc = h('p', { class: 'hint', id: 'rules-desc' });
    const rolesBox = h('div', { class: 'roles-grid' });
    const seatInputs = new Map<string, HTMLInputElement>();
    const botSelects = new Map<string, HTMLSelectElement>();

    const renderRoles = () => {
      const file = files.find((f) => f.name === ruleSelect.value) ?? files[0];
      ruleDesc.textContent = `${file.description} ${file.turns} quarters.`;
      seatInputs.clear();
      botSelects.clear();
      rolesBox.replaceChildren(...file.roles.map((r) => {
        const seatId = uid('seats'), botId = uid('bot');
        const seats = h('input', { id: seatId, type: 'number', min: 0, max: 30, step: 1, value: String(isClass ? 3 : 1), inputMode: 'numeric', 'aria-describedby': `${seatId}-help` });
        const bot = h('select', { id: botId }, PERSONALITIES.map(([v, label]) => h('option', { value: v }, label)));
        seatInputs.set(r.id, seats);
        botSelects.set(r.id, bot);
        return h('fieldset', { class: `role-card side-${r.side}` },
          h('legend', null, h('span', { class: `side-tag side-${r.side}` }, r.side === 'us' ? 'US' : 'CN'), ' ', r.name),
          h('p', { class: 'hint' }, r.blurb),
          h('div', { class: 'field' }, h('label', { for: seatId }, 'People on this team'), seats,
            h('small', { id: `${seatId}-help` }, '0 = a bot plays this role')),
          h('div', { class: 'field' }, h('label', { for: botId }, 'Bot (for empty or abandoned seats)'), bot));
      }));
    };
    ruleSelect.addEventListener('change', renderRoles);

    const timerInputs = new Map<string, HTMLInputElement>();
    const timers = h('fieldset', { class: 'timers' }, h('legend', null, 'Phase timers (seconds, 0 = no timer)'),
      PHASES.map(([id, label]) => {
        const fid = uid('timer');
        const input = h('input', { id: fid, type: 'number', min: 0, max: 3600, step: 10, value: String(isClass ? CLASS_TIMERS[id] : 0), inputMode: 'numeric' });
        timerInputs.set(id, input);
        return h('div', { class: 'field' }, h('label', { for: fid }, label), input);
      }),
      h('p', { class: 'hint' }, isClass ? 'A phase also ends early once every team is ready. You can pause, extend or skip at any time.' : 'Without timers a phase ends when every team is ready.'));

    // ---- the lesson's length and the plan it implies (class sessions)
    const lengthSelect = h('select', { id: 'lesson-length', name: 'lesson-length' },
      h('option', { value: 'all' }, 'The whole game (no lesson plan)'),
      LESSON.presets.map((m) => h('option', { value: String(m) }, `${m} minutes`)),
      h('option', { value: 'custom' }, 'Custom…'));
    const customMinutes = h('input', { id: 'lesson-minutes', type: 'number', min: LESSON.minMinutes, max: LESSON.maxMinutes, step: 5, value: '50', inputMode: 'numeric', hidden: true, 'aria-label': 'Lesson length in minutes' });
    const planBox = h('div', { class: 'lesson-plan', role: 'status', 'aria-live': 'polite' });
    let plannedQuarters: number | null = null;
    const lessonMinutes = (): number | null => (lengthSelect.value === 'all' ? null : lengthSelect.value === 'custom' ? Math.round(Number(customMinutes.value) || 0) : Number(lengthSelect.value));
    const timerValue = (k: string) => Math.max(0, Math.min(3600, Math.round(Number(timerInputs.get(k)?.value) || 0)));
    const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    /** The plan's numbers with the timers as they stand now (the teacher may still change a timer). */
    const showPlan = () => {
      const file = files.find((f) => f.name === ruleSelect.value) ?? files[0];
      const minutes = lessonMinutes();
      if (minutes === null) { plannedQuarters = null; planBox.replaceChildren(h('p', { class: 'hint' }, `All ${file.turns} quarters; the timers below decide how long it takes.`)); return; }
      const plan = lessonPlan(minutes, file);
      plannedQuarters = plan.quarters;
      if (plan.problems.length) { planBox.replaceChildren(h('p', { class: 'form-error' }, plan.problems.join('; '))); return; }
      const perQuarter = PHASES.reduce((n, [k]) => n + timerValue(k), 0);
      const playing = plan.quarters * perQuarter;
      const debrief = Math.floor((plan.minutes * 60 - plan.joinMinutes * 60 - playing) / 60);
      const end = new Date(Date.now() + plan.minutes * 60_000);
      planBox.replaceChildren(
        h('h3', null, `Plan for ${plan.minutes} minutes`),
        h('ul', { class: 'plan-list' },
          h('li', null, h('strong', { class: 'plan-quarters' }, `${plan.quarters} quarters`), ` (${plan.firstQuarter} to ${plan.lastQuarter}); the ending is judged after the last`),
          h('li', null, `Each quarter at most ${clock(perQuarter)}: ${PHASES.map(([k, label]) => `${label.toLowerCase()} ${clock(timerValue(k))}`).join(', ')}`),
          h('li', null, `${plan.joinMinutes} minutes to join, ${Math.round(playing / 60)} minutes of play`),
          h('li', { class: debrief < LESSON.debriefMin ? 'form-error' : '' }, h('strong', { class: 'plan-debrief' }, `${Math.max(0, debrief)} minutes left for the debrief`), debrief < LESSON.debriefMin ? ' (too little: shorten a timer)' : '')),
        h('p', { class: 'hint plan-end' }, `Starting now, the lesson ends at ${end.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`));
    };
    const applyPlan = () => {
      customMinutes.hidden = lengthSelect.value !== 'custom';
      const minutes = lessonMinutes();
      const file = files.find((f) => f.name === ruleSelect.value) ?? files[0];
      const plan = minutes === null ? null : lessonPlan(minutes, file);
      for (const [k] of PHASES) timerInputs.get(k)!.value = String(plan && !plan.problems.length ? plan.timers[k] : CLASS_TIMERS[k]);
      showPlan();
    };
    lengthSelect.addEventListener('change', applyPlan);
    customMinutes.addEventListener('input', applyPlan);
    ruleSelect.addEventListener('change', applyPlan);
    for (const input of timerInputs.values()) input.addEventListener('input', showPlan);
    // the class size shares the students out over the teams people play (0 seats: a bot's), at most 10 a team
    const classSize = h('input', { id: 'class-size', type: 'number', min: 1, max: 40, step: 1, value: '', placeholder: 'e.g. 25', inputMode: 'numeric', 'aria-describedby': 'class-size-help' });
    const classSizeHelp = h('small', { id: 'class-size-help' }, 'Sets the places on each team below (up to 10 a team). Late arrivals join the smallest team.');
    classSize.addEventListener('input', () => {
      const n = Math.round(Number(classSize.value) || 0);
      if (n <= 0) return;
      const played = [...seatInputs.values()].filter((i) => Number(i.value) > 0);
      const teams = played.length ? played : [...seatInputs.values()];
      const per = Math.min(10, Math.ceil(n / teams.length));
      for (const i of teams) i.value = String(per);
      classSizeHelp.textContent = `${teams.length} teams of up to ${per}: ${teams.length * per} places for ${n} students${teams.length * per < n ? ' (too few: the rest watch)' : ''}.`;
    });
    const approval = h('input', { id: 'approval', type: 'checkbox' });
    const lesson = h('fieldset', { class: 'lesson' }, h('legend', null, 'Lesson'),
      h('div', { class: 'field' }, h('label', { for: 'lesson-length' }, 'How long is the lesson?'), lengthSelect, customMinutes),
      planBox,
      h('div', { class: 'field' }, h('label', { for: 'class-size' }, 'How many students?'), classSize, classSizeHelp),
      h('div', { class: 'field check' }, approval, h('label', { for: 'approval' }, ' Let each student in myself (they wait on your dashboard until you do; you can lock the match there too)')));

    const takeover = h('input', { id: 'takeover', type: 'number', min: 5, max: 3600, value: '120', step: 5, inputMode: 'numeric' });
    const visibility = h('select', { id: 'visibility' }, h('option', { value: 'private' }, 'Private: only people with the code'), h('option', { value: 'public' }, 'Public: listed, strangers may join'));
    const submit = h('button', { type: 'submit', class: 'primary big' }, isClass ? 'Create the class session' : 'Create the match');

    append(form, [
      h('div', { class: 'field' }, h('label', { for: 'rules' }, 'Rule file'), ruleSelect, ruleDesc),
      isClass ? lesson : null,
      h('h2', null, 'Teams'), rolesBox,
      timers,
      h('div', { class: 'field' }, h('label', { for: 'takeover' }, 'Bot takes over a team after everyone on it has been away for (seconds)'), takeover),
      isClass ? null : h('div', { class: 'field' }, h('label', { for: 'visibility' }, 'Who can join'), visibility),
      submit]);
    renderRoles();
    if (isClass) showPlan();

    form.onsubmit = async (e) => {
      e.preventDefault();
      error.replaceChildren();
      const body: CreateMatchBody = {
        mode, rules: ruleSelect.value,
        seats: Object.fromEntries([...seatInputs].map(([k, i]) => [k, Math.max(0, Math.min(30, Math.round(Number(i.value) || 0)))])),
        bots: Object.fromEntries([...botSelects].map(([k, s]) => [k, s.value])),
        timers: Object.fromEntries([...timerInputs].map(([k, i]) => [k, Math.max(0, Math.min(3600, Math.round(Number(i.value) || 0)))])),
        botTakeoverSeconds: Math.max(5, Math.min(3600, Math.round(Number(takeover.value) || 120))),
        ...(isClass ? {} : { visibility: visibility.value as 'public' | 'private' }),
        ...(isClass && approval.checked ? { approval: true } : {}),
        ...(isClass && lessonMinutes() !== null ? { lessonMinutes: lessonMinutes()!, ...(plannedQuarters ? { turns: plannedQuarters } : {}) } : {}),
      };
      submit.disabled = true;
      submit.textContent = 'Creating…';
      try {
        const created = await api.create(body);
        if (created.facilitatorKey) {
          seatStore.setFacilitatorKey(created.code, created.facilitatorKey);
          nav(`/facilitate/${created.code}`);
        } else nav(`/join/${created.code}`);
      } catch (err) {
        const e2 = err as { message: string; details?: string[] };
        error.replaceChildren(h('p', null, e2.message), e2.details?.length ? h('ul', null, e2.details.map((d) => h('li', null, d))) : '');
        submit.disabled = false;
        submit.textContent = isClass ? 'Create the class session' : 'Create the match';
      }
    };
  }
  return { el, title: isClass ? 'Set up a class' : 'Private match' };
}
