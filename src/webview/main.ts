import * as l10n from '@vscode/l10n';
import './l10n';
import type { FromWebview, PanelModel, PanelRow, PanelState, ToWebview } from '../core/protocol';
import { el } from './dom';
import { change, delta, fewSamples, ms, pct, rate, supportText } from './format';
import { percentilePlot, sparkline } from './plot';

declare function acquireVsCodeApi(): { postMessage(msg: FromWebview): void; getState(): PanelState | undefined; setState(s: PanelState): void };

const vscode = acquireVsCodeApi();
let state: PanelState = vscode.getState() ?? {};
let model: PanelModel | undefined;
let running = false;

interface Column {
  id: string;
  label: string;
  numeric: boolean;
  value: (r: PanelRow) => number | string | null;
  cell: (r: PanelRow) => string;
  /** A secondary part (the change against the baseline), after the cell's text; it may wrap below it. */
  sub?: (r: PanelRow) => string | null;
  /** The cell's tooltip for a value its sample does not support (the cell is marked so), when it has one. */
  tip?: (r: PanelRow) => string | null;
  /** A plain tooltip (what the cell's short text stands for). */
  hint?: (r: PanelRow) => string | null;
  /** Shown only when this holds for the model (default: always). */
  shown?: (m: PanelModel) => boolean;
}

const STATUS_ORDER: Record<string, number> = { fail: 3, warn: 2, missing: 1, pass: 0 };
/** The words for a status and a regression verdict as shown (the values themselves stay English: filters and data use them). */
const STATUS_TEXT: Record<string, string> = { fail: l10n.t('fail'), warn: l10n.t('warn'), missing: l10n.t('missing'), pass: l10n.t('pass'), regressed: l10n.t('regressed') };
const VERDICT_TEXT: Record<string, string> = {
  regressed: l10n.t('regressed'),
  inconclusive: l10n.t('inconclusive'),
  improved: l10n.t('improved'),
  unchanged: l10n.t('unchanged'),
  'no baseline': l10n.t('no baseline'),
};
const verdictText = (v: string): string => VERDICT_TEXT[v] ?? v;
/** A metric as the panel names it: "errors", not the JSON key "errorRate". */
const metricLabel = (metric: string): string => (metric === 'errorRate' ? l10n.t('errors') : metric === 'p999' ? 'p99.9' : metric);
/** Some budgeted percentile of the row is not backed by its sample. */
const uncertain = (r: PanelRow) => r.metrics.some((m) => fewSamples(m.support));
/** The p95 is from fewer requests than it needs (20), or its budget lies inside its interval. */
const fewP95 = (r: PanelRow) => {
  const m = r.metrics.find((x) => x.metric === 'p95');
  return m?.support ? fewSamples(m.support) : r.count !== null && r.count < 20;
};

/** "PASS" / "PASS?" / "FAIL (few samples)": a verdict from too few requests never looks as certain as one from thousands. */
function statusText(r: PanelRow): string {
  const s = r.status.toUpperCase();
  const text = !uncertain(r) ? s : r.status === 'fail' ? l10n.t('{0} (few samples)', s) : `${s}?`;
  return text + (r.regressed ? ' ▲' : '');
}

function p95Tip(r: PanelRow): string | null {
  if (!fewP95(r)) return null;
  const m = r.metrics.find((x) => x.metric === 'p95');
  return m?.support ? supportText('p95', m.support) : l10n.t('n = {0}: too few for a p95 (needs 20)', r.count ?? 0);
}

const COLUMNS: Column[] = [
  { id: 'handler', label: l10n.t('Handler'), numeric: false, value: (r) => r.handler, cell: (r) => r.handler },
  {
    id: 'status',
    label: l10n.t('Status'),
    numeric: false,
    value: (r) => STATUS_ORDER[r.status] ?? 0,
    cell: statusText,
    tip: (r) => (uncertain(r) ? r.metrics.filter((m) => fewSamples(m.support)).map((m) => `${m.metric}: ${supportText(m.metric, m.support!)}`).join('\n') : null),
  },
  { id: 'p50', label: 'p50', numeric: true, value: (r) => r.p50, cell: (r) => ms(r.p50) },
  { id: 'p95', label: 'p95', numeric: true, value: (r) => r.p95, cell: (r) => (r.p95 !== null && fewP95(r) ? `≈${ms(r.p95)}` : ms(r.p95)), tip: p95Tip },
  {
    id: 'production',
    label: 'prod p95',
    numeric: true,
    value: (r) => r.production?.p95Ms ?? null,
    cell: (r) => r.production?.value ?? '—',
    hint: (r) => r.production?.text ?? null,
    // Beside this run's p95, when the folder has a production source.
    shown: (m) => m.rows.some((r) => r.production),
  },
  { id: 'p99', label: 'p99', numeric: true, value: (r) => r.p99, cell: (r) => ms(r.p99) },
  { id: 'budget', label: l10n.t('Budget'), numeric: false, value: (r) => r.metrics.map((m) => m.metric).join(','), cell: (r) => r.metrics.map((m) => `${m.metric} ${fmtMetric(m.metric, m.budget)}`).join(', ') },
  { id: 'margin', label: l10n.t('Margin'), numeric: true, value: marginValue, cell: marginText, hint: marginHint },
  { id: 'baseline', label: l10n.t('Baseline p95'), numeric: true, value: (r) => r.baseP95, cell: (r) => ms(r.baseP95) },
  { id: 'delta', label: 'Δ p95', numeric: true, value: (r) => change(r.p95, r.baseP95), cell: (r) => delta(change(r.p95, r.baseP95)) },
  { id: 'history', label: l10n.t('p95 history'), numeric: false, value: () => null, cell: () => '' },
  { id: 'errors', label: l10n.t('Errors'), numeric: true, value: (r) => r.errorRate, cell: (r) => pct(r.errorRate), sub: (r) => (r.baseErrorRate !== null && r.errorRate !== null ? `(${delta(change(r.errorRate, r.baseErrorRate))})` : null) },
  { id: 'throughput', label: l10n.t('Throughput'), numeric: true, value: (r) => r.throughput, cell: (r) => rate(r.throughput), sub: (r) => (r.baseThroughput !== null && r.throughput !== null ? `(${delta(change(r.throughput, r.baseThroughput))})` : null) },
  { id: 'regression', label: l10n.t('Regression'), numeric: false, value: (r) => verdictOf(r), cell: (r) => verdictWords(r) },
];

/** The row's production line is a reason, not a number. */
function productionMuted(r: PanelRow): boolean {
  return r.production !== undefined && (r.production.error !== undefined || r.production.p95Ms === null);
}

function fmtMetric(metric: string, v: number): string {
  return metric === 'errorRate' ? pct(v) : metric === 'throughput' ? rate(v) : ms(v);
}

/**
 * The margin of the row's worst metric (the worst status, among equals the smallest margin) and
 * which metric it is: "56% p95", "−285% errors"; a handler failing on errors never shows its
 * passing p95's margin.
 */
function marginText(r: PanelRow): string {
  const w = r.worst;
  if (!w) return '—';
  const label = metricLabel(w.metric);
  if (w.status === 'missing') return l10n.t('{0} missing', label);
  if (w.marginPct === null) return w.status === 'fail' ? l10n.t('over budget ({0})', label) : '—';
  const m = Math.round(w.marginPct);
  return `${m < 0 ? '−' : ''}${Math.abs(m)}% ${label}`;
}

/** Sorts as shown: an exceeded budget of 0 (no finite margin) below every finite margin. */
function marginValue(r: PanelRow): number | null {
  const w = r.worst;
  if (!w || w.marginPct !== null) return w?.marginPct ?? null;
  return w.status === 'fail' ? -Infinity : null;
}

/** "errors 4.59% vs 1% budget — fail" for the metric the margin is of. */
function marginHint(r: PanelRow): string | null {
  const m = r.metrics.find((x) => x.metric === r.worst?.metric);
  if (!m) return null;
  const value = m.value === null ? l10n.t('missing') : fmtMetric(m.metric, m.value);
  return `${metricLabel(m.metric)} ${value} ${l10n.t('vs {0} budget — {1}', fmtMetric(m.metric, m.budget), STATUS_TEXT[m.status] ?? m.status)}`;
}

function verdictOf(r: PanelRow): string {
  const rs = r.metrics.map((m) => m.regression).filter((x): x is NonNullable<typeof x> => !!x);
  if (rs.length === 0) return 'no baseline';
  for (const k of ['regressed', 'inconclusive', 'improved'] as const) if (rs.includes(k)) return k;
  return 'unchanged';
}

/** The row's regression verdict in the words every surface uses: "same data as the baseline", "too few requests to tell (13 vs 13): run longer". */
function verdictWords(r: PanelRow): string {
  const v = verdictOf(r);
  const speaking = r.metrics.filter((m) => m.regression === v);
  // "same data" only when every compared metric says so (it is a statement about the whole series).
  if (v === 'unchanged' && speaking.length > 0 && r.metrics.every((m) => !m.regression || m.regressionPhrase === speaking[0]!.regressionPhrase)) return speaking[0]!.regressionPhrase ?? verdictText(v);
  return speaking.find((m) => m.regressionPhrase)?.regressionPhrase ?? verdictText(v);
}

function save(patch: Partial<PanelState>): void {
  state = { ...state, ...patch };
  vscode.setState(state);
}

function post(msg: FromWebview): void {
  vscode.postMessage(msg);
}

/** The status filter's options, "all" first; their values stay English (state and data use them). */
const STATUS_OPTIONS = ['all', 'fail', 'warn', 'missing', 'pass', 'regressed'] as const;

const matchesText = (r: PanelRow): boolean => {
  const filter = (state.filter ?? '').toLowerCase();
  return !filter || r.handler.toLowerCase().includes(filter);
};
const matchesStatus = (r: PanelRow, status: string): boolean => status === 'all' || r.status === status || (status === 'regressed' && r.regressed);

function visibleRows(m: PanelModel): PanelRow[] {
  const status = state.status ?? 'all';
  let rows = m.rows.filter((r) => matchesText(r) && matchesStatus(r, status));
  const sort = state.sort;
  const col = COLUMNS.find((c) => c.id === sort?.column);
  if (col) {
    rows = [...rows].sort((a, b) => {
      const va = col.value(a);
      const vb = col.value(b);
      if (va === vb) return 0;
      if (va === null) return 1;
      if (vb === null) return -1;
      const cmp = va < vb ? -1 : 1;
      return sort!.descending ? -cmp : cmp;
    });
  }
  return rows;
}

function header(m: PanelModel): HTMLElement {
  const side = (s: PanelModel['run'] | NonNullable<PanelModel['baseline']>, extra = '') =>
    el('div', { className: 'side' }, [
      el('div', { className: 'side-label', text: s.label + extra }),
      el('div', { className: 'side-meta', text: [s.time ? new Date(s.time).toLocaleString() : null, s.commit ? l10n.t('commit {0}', shortCommit(s.commit)) : null, s.machine].filter(Boolean).join(' · ') }),
      'sources' in s && s.sources.length ? el('div', { className: 'side-meta side-sources', text: l10n.t('from {0}', s.sources.join(', ')) }) : null,
    ]);
  const children: Array<HTMLElement | null> = [
    side(m.run, m.run.benchmarks.length ? ` — ${m.run.benchmarks.join(', ')}` : ''),
    m.baseline ? side(m.baseline) : el('div', { className: 'side', text: l10n.t('No baseline to compare with.') }),
  ];
  const notes: HTMLElement[] = [];
  if (m.machineMismatch) notes.push(el('div', { className: 'note warning', text: `⚠ ${l10n.t('The run and the baseline were measured on different machines: deltas may reflect the machine, not the code.')}` }));
  if (m.stale) notes.push(el('div', { className: 'note warning', text: `⚠ ${l10n.t('Stale: {0}', m.stale)}` }));
  if (m.restricted) notes.push(el('div', { className: 'note info restricted', text: m.restricted }));
  if (m.error) notes.push(el('div', { className: 'note error', text: `✗ ${l10n.t('The last read failed: {0}. Showing the previous results.', m.error)}` }));
  return el('header', {}, [el('div', { className: 'sides' }, children), ...notes]);
}

/** A commit id shortened as git does; anything else (a baseline file can say anything) in full. */
function shortCommit(commit: string): string {
  return /^[0-9a-f]{40,64}$/.test(commit) ? commit.slice(0, 10) : commit;
}

/** The filter, the status filter and the actions; with `restricted` set, those that need git or a process are off, titled with it. */
function toolbar(restricted: string | null): HTMLElement {
  const filter = el('input', { className: 'filter', attrs: { type: 'search', placeholder: l10n.t('Filter handlers'), 'aria-label': l10n.t('Filter handlers') } });
  filter.value = state.filter ?? '';
  filter.addEventListener('input', () => {
    save({ filter: filter.value });
    renderTable();
  });
  const status = el('select', { className: 'status-filter', attrs: { 'aria-label': l10n.t('Filter by status') } });
  for (const s of STATUS_OPTIONS) status.appendChild(el('option', { text: statusOptionText(s), attrs: { value: s } }));
  status.value = state.status ?? 'all';
  status.addEventListener('change', () => {
    save({ status: status.value });
    renderTable();
  });
  const button = (label: string, msg: FromWebview, id: string) => {
    const b = el('button', { text: label, attrs: { id, type: 'button' } });
    b.addEventListener('click', () => post(msg));
    return b;
  };
  const run = button(running ? l10n.t('Running…') : l10n.t('Run again'), { type: 'runAgain' }, 'run-again');
  run.disabled = running || restricted !== null;
  const pick = button(l10n.t('Baseline…'), { type: 'pickBaseline' }, 'pick-baseline');
  pick.disabled = restricted !== null;
  if (restricted) for (const b of [run, pick]) b.title = restricted;
  return el('div', { className: 'toolbar' }, [
    filter,
    status,
    el('span', { className: 'spacer' }),
    button(l10n.t('Update baseline from this run'), { type: 'updateBaseline' }, 'update-baseline'),
    run,
    button(l10n.t('Export report'), { type: 'exportReport' }, 'export-report'),
    pick,
  ]);
}

/**
 * "fail (1)", "All statuses (5)": how many rows each status would show with the text filter as it
 * is now (buildTable keeps the counts in step while the user types).
 */
function statusOptionText(s: string): string {
  const n = model ? model.rows.filter((r) => matchesText(r) && matchesStatus(r, s)).length : 0;
  return s === 'all' ? l10n.t('All statuses ({0})', n) : l10n.t('{0} ({1})', STATUS_TEXT[s] ?? s, n);
}

function updateStatusCounts(): void {
  for (const o of document.querySelectorAll<HTMLOptionElement>('select.status-filter option')) o.textContent = statusOptionText(o.value);
}

/** Why the table is empty, in the words of the filters that emptied it. */
function emptyText(): string {
  const text = state.filter ?? '';
  const status = state.status ?? 'all';
  const shown = STATUS_TEXT[status] ?? status;
  if (text && status !== 'all') return l10n.t('No handler matches “{0}” with status {1}.', text, shown);
  if (text) return l10n.t('No handler matches “{0}”.', text);
  return status === 'regressed' ? l10n.t('No handler regressed.') : l10n.t('No handler has status {0}.', shown);
}

/** The row of an empty table: why it is empty, and a button that clears both filters (the focus goes to the text filter). */
function emptyRow(columns: number): HTMLTableRowElement {
  const clear = el('button', { text: l10n.t('Clear filter'), attrs: { id: 'clear-filter', type: 'button' } });
  clear.addEventListener('click', () => {
    save({ filter: '', status: 'all' });
    const input = document.querySelector<HTMLInputElement>('input.filter');
    const select = document.querySelector<HTMLSelectElement>('select.status-filter');
    if (input) input.value = '';
    if (select) select.value = 'all';
    renderTable();
    input?.focus();
  });
  return el('tr', { className: 'empty-row' }, [el('td', { attrs: { colspan: String(columns) } }, [el('span', { className: 'empty-message', text: emptyText() }), clear])]);
}

/**
 * Re-rendering replaces the elements, and with them the keyboard focus: a live update (new results,
 * a run starting) while the user types in the filter or moves through the rows would drop the focus
 * on <body>. Note what has it (by role, not by node), run `build`, and give the focus back.
 *
 * Only while the panel itself has the focus: when the user has moved on (the command palette, an
 * editor), a focus() here would pull the keyboard back into the panel mid-typing. When the panel
 * gets the focus back with nothing focused in it (Escape from the palette, switching back to the
 * editor tab), the element that last had the focus, found again by its role, gets it back, as in
 * VS Code's own editors.
 */
function keepingFocus(build: () => void): void {
  const active = document.activeElement;
  const find = focusFinder(active);
  const caret = active instanceof HTMLInputElement ? [active.selectionStart, active.selectionEnd, active.selectionDirection] as const : null;
  build();
  if (!find || (active && active.isConnected) || !document.hasFocus()) return;
  const next = find();
  if (!next) return;
  next.focus({ preventScroll: true });
  if (caret && next instanceof HTMLInputElement && caret[0] !== null && caret[1] !== null) next.setSelectionRange(caret[0], caret[1], caret[2] ?? undefined);
}

let lastFocus: (() => HTMLElement | undefined) | undefined;
document.addEventListener('focusin', (e) => {
  lastFocus = focusFinder(e.target instanceof Element ? e.target : null);
});
/** Nothing in the panel has the focus (it is on <body>, or nowhere). */
const nothingFocused = (): boolean => document.activeElement === null || document.activeElement === document.body;
window.addEventListener('focus', () => {
  // A click that brought the focus back has put it where the user clicked: leave it there.
  if (!nothingFocused()) return;
  // Given back a turn later, and only if the panel still has the focus: the focus that came back
  // as a picker closed may already have moved on to the next one (the git ref box after "Another
  // git ref…"), which a focus() here would take it from, and close (seen on a busy machine).
  setTimeout(() => {
    if (!document.hasFocus() || !nothingFocused()) return;
    lastFocus?.()?.focus({ preventScroll: true });
  }, 0);
});

function focusFinder(active: Element | null): (() => HTMLElement | undefined) | undefined {
  if (!(active instanceof HTMLElement)) return undefined;
  const all = (selector: string) => [...document.querySelectorAll<HTMLElement>(selector)];
  if (active.id) {
    const id = active.id;
    return () => document.getElementById(id) ?? undefined;
  }
  for (const cls of ['filter', 'status-filter']) if (active.classList.contains(cls)) return () => all(`.${cls}`)[0];
  if (active.matches('button.sort')) return () => all('button.sort').find((b) => b.dataset.column === active.dataset.column);
  if (active.matches('tr.row')) return () => all('tr.row').find((r) => r.dataset.handler === active.dataset.handler);
  if (active.matches('button.add-budget')) return () => all('button.add-budget').find((b) => b.dataset.series === active.dataset.series);
  return undefined;
}

function renderTable(): void {
  keepingFocus(buildTable);
}

function buildTable(): void {
  if (!model) return;
  const rows = visibleRows(model);
  const columns = COLUMNS.filter((c) => !c.shown || c.shown(model!));
  const table = el('table', { className: 'rows', attrs: { 'aria-label': l10n.t('Handlers') } });
  const headRow = el('tr');
  for (const c of columns) {
    const sorted = state.sort?.column === c.id;
    const th = el('th', { className: `${c.numeric ? 'num' : ''} col-${c.id}`, attrs: { scope: 'col', 'aria-sort': sorted ? (state.sort!.descending ? 'descending' : 'ascending') : 'none' } });
    if (c.id === 'history') th.textContent = c.label;
    else {
      // The production column is named by its source's window: "prod p95 (1h)".
      const label = c.id === 'production' ? (model.rows.find((r) => r.production)?.production!.label ?? c.label) : c.label;
      const b = el('button', { className: 'sort', text: `${label}${sorted ? (state.sort!.descending ? ' ▼' : ' ▲') : ''}`, attrs: { type: 'button', 'data-column': c.id } });
      b.addEventListener('click', () => {
        save({ sort: { column: c.id, descending: sorted ? !state.sort!.descending : c.numeric } });
        renderTable();
      });
      th.appendChild(b);
    }
    headRow.appendChild(th);
  }
  table.appendChild(el('thead', {}, [headRow]));
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr', { className: `row status-${r.status}${state.selected === r.handler ? ' selected' : ''}`, attrs: { tabindex: '0', 'data-handler': r.handler } });
    for (const c of columns) {
      const td = el('td', { className: `${c.numeric ? 'num' : ''} col-${c.id}`, text: c.cell(r) });
      const sub = c.sub?.(r);
      if (sub) td.append(' ', el('span', { className: 'sub', text: sub }));
      const tip = c.tip?.(r);
      if (tip) {
        td.title = tip;
        td.classList.add('few-samples');
      }
      const hint = c.hint?.(r);
      if (hint) td.title = hint;
      // No production number (the source failed, was not queried, or has no such handler): the reason, muted.
      if (c.id === 'production' && r.production && productionMuted(r)) td.classList.add('muted');
      if (c.id === 'history') td.appendChild(r.history.length === 1 ? el('span', { className: 'history-few', text: l10n.t('1 run'), title: historyWait(1) }) : sparkline(r.history, l10n.t('p95 history of {0}', r.handler)));
      // A long name is cut with an ellipsis on screen; the title has it whole.
      if (c.id === 'handler') td.title = r.hasLocation ? `${r.handler}\n${l10n.t('Click to select; double-click or Enter opens the code')}` : r.handler;
      // Numbers that may no longer describe the code say so, in the muted colour.
      if (c.id === 'handler' && r.stale) {
        td.appendChild(el('span', { className: 'stale-badge', text: ` ${l10n.t('stale')}`, title: r.stale }));
        td.title += `\n${r.stale}`;
      }
      tr.appendChild(td);
    }
    tr.addEventListener('click', () => select(r.handler));
    tr.addEventListener('dblclick', () => r.hasLocation && post({ type: 'openHandler', handler: r.handler }));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        select(r.handler);
        if (r.hasLocation) post({ type: 'openHandler', handler: r.handler });
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = (e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling) as HTMLElement | null;
        next?.focus();
      }
    });
    body.appendChild(tr);
  }
  // Filters that match nothing: say so where the rows would be, with the way out.
  if (rows.length === 0 && model.rows.length > 0) body.appendChild(emptyRow(columns.length));
  table.appendChild(body);
  updateStatusCounts();
  const count = el('div', { className: 'count', text: l10n.t('{0} of {1} handlers', rows.length, model.rows.length) });
  // Wider than the editor: the table scrolls sideways inside its own box, the page does not.
  document.getElementById('table')!.replaceChildren(count, el('div', { className: 'table-scroll' }, [table]));
  renderDetail();
}

function select(handler: string): void {
  save({ selected: handler });
  for (const tr of document.querySelectorAll<HTMLElement>('tr.row')) tr.classList.toggle('selected', tr.dataset.handler === handler);
  renderDetail();
}

/** "History appears after 2 runs (1 so far)." */
const historyWait = (runs: number) => l10n.t('History appears after 2 runs ({0} so far).', runs);

/**
 * The selected handler's detail, or the first shown row's when none is selected. A selected
 * handler the filters hide is not shown as if it were in the table: the section says it is
 * filtered out; nothing when the table is empty.
 */
function renderDetail(): void {
  const host = document.getElementById('detail')!;
  if (!model) return;
  const visible = visibleRows(model);
  const selected = model.rows.find((r) => r.handler === state.selected);
  if (selected && !visible.includes(selected)) {
    host.replaceChildren(el('p', { className: 'note info filtered-out', text: l10n.t('The selected handler “{0}” is filtered out.', selected.handler) }));
    return;
  }
  const row = selected ?? visible[0];
  if (!row) {
    host.replaceChildren();
    return;
  }
  const metrics = el('ul', { className: 'metrics' });
  for (const m of row.metrics) {
    const ci = m.ci ? ` (${l10n.t('95% CI {0}–{1}', fmtMetric(m.metric, m.ci[0]), fmtMetric(m.metric, m.ci[1]))})` : '';
    const few = m.support && fewSamples(m.support) ? ` — ${l10n.t('few samples: {0}', supportText(m.metric, m.support))}` : m.support ? ` (n = ${m.support.n})` : '';
    const value = m.value === null ? l10n.t('missing') : fmtMetric(m.metric, m.value);
    const base = m.baseline !== null ? `; ${l10n.t('baseline {0} {1}', fmtMetric(m.metric, m.baseline), delta(m.deltaPct))}${m.regression ? ` (${m.regressionPhrase ?? verdictText(m.regression)})` : ''}` : '';
    const text = `${m.metric}: ${value}${ci} ${l10n.t('vs {0} budget — {1}', fmtMetric(m.metric, m.budget), STATUS_TEXT[m.status] ?? m.status)}${base}${few}`;
    metrics.appendChild(el('li', { className: `status-${m.status}`, text }, m.evidence ? [el('div', { className: 'evidence', text: m.evidence })] : []));
  }
  const legend = el('div', { className: 'legend' }, [
    el('span', { className: 'key current', text: l10n.t('this run') }),
    el('span', { className: 'key baseline', text: l10n.t('baseline') }),
    el('span', { className: 'key budget', text: l10n.t('budget') }),
    el('span', { className: 'source', text: row.exact === false ? l10n.t('from the full histogram') : row.exact ? l10n.t('the tool printed only these percentiles') : '' }),
  ]);
  // One run is a dot, not a history: say when there will be one.
  const runs = row.history.length;
  const history = el('div', { className: 'history' }, [
    el('div', { className: 'history-label', text: runs >= 2 ? l10n.t('p95 in the last {0} runs (oldest first)', runs) : runs === 1 ? historyWait(runs) : l10n.t('No run history yet: runs started from the editor are kept in .perf-budgets/runs/') }),
    runs >= 2 ? sparkline(row.history, l10n.t('p95 history of {0}', row.handler), { w: 240, h: 48, cls: 'spark-large' }) : null,
    runs >= 2 ? el('div', { className: 'history-values', text: row.history.map((v) => ms(v)).join(' → ') }) : null,
  ]);
  const production = row.production ? [el('p', { className: `production${productionMuted(row) ? ' muted' : ''}`, text: row.production.text })] : [];
  host.replaceChildren(el('h2', { text: row.handler, title: row.handler }), ...(row.stale ? [el('p', { className: 'note stale-note', text: row.stale })] : []), metrics, ...production, ...whyRegressed(row), history, legend, percentilePlot(row));
}

/** "Why it regressed": the commits since the baseline that touched the handler (the hover has their hunks and the diff). */
function whyRegressed(row: PanelRow): HTMLElement[] {
  const c = row.changes;
  if (!c) return [];
  const items: HTMLElement[] = [];
  if (c.unavailable) items.push(el('li', { text: l10n.t('What changed cannot be shown: {0}', c.unavailable) }));
  if (c.uncommitted) items.push(el('li', { className: 'uncommitted', text: l10n.t('Uncommitted changes the run measured') }));
  for (const x of c.commits) {
    items.push(el('li', { className: 'commit' }, [el('code', { text: x.short }), el('span', { text: ` ${x.subject} — ${x.author}, ${x.date.slice(0, 10)}` })]));
  }
  if (!c.unavailable && items.length === 0) items.push(el('li', { text: l10n.t('No commit since the baseline touched this handler: the cause is elsewhere (what it calls, data, the machine).') }));
  return [el('section', { className: 'why' }, [el('h3', { text: l10n.t('Why it regressed') }), el('ul', {}, items)])];
}

/**
 * Series in the results that no budget claims, each with an "Add budget" button (the extension
 * writes the budget into perf-budgets.json), and series tied between budgets. Nothing when every
 * series is claimed.
 */
function unclaimedSection(m: PanelModel): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (m.unclaimed.length > 0) {
    const body = el('tbody');
    for (const s of m.unclaimed) {
      const add = el('button', { className: 'add-budget', text: l10n.t('Add budget'), attrs: { type: 'button', 'data-series': s.name, 'aria-label': l10n.t('Add budget for {0}', s.name) } });
      add.addEventListener('click', () => post({ type: 'addBudget', series: s.name }));
      body.appendChild(
        el('tr', { className: 'unclaimed-row', attrs: { 'data-series': s.name } }, [
          el('td', { className: 'col-series', text: s.name, title: s.name }),
          el('td', { className: 'num col-p95', text: ms(s.p95) }),
          el('td', { className: 'num col-count', text: s.count === null ? '—' : String(s.count) }),
          el('td', { className: 'col-action' }, [add]),
        ]),
      );
    }
    const head = el('tr', {}, [
      el('th', { text: l10n.t('Series'), attrs: { scope: 'col' } }),
      el('th', { className: 'num', text: 'p95', attrs: { scope: 'col' } }),
      el('th', { className: 'num', text: l10n.t('Requests'), attrs: { scope: 'col' } }),
      el('th', { attrs: { scope: 'col' } }),
    ]);
    out.push(
      el('h2', { text: l10n.t('Series no budget claims ({0})', m.unclaimed.length) }),
      el('div', { className: 'table-scroll' }, [el('table', { className: 'unclaimed', attrs: { 'aria-label': l10n.t('Series no budget claims') } }, [el('thead', {}, [head]), body])]),
    );
  }
  if (m.ambiguous.length > 0) {
    const list = el('ul', { className: 'ambiguous' });
    for (const a of m.ambiguous) list.appendChild(el('li', { text: l10n.t('{0} matches {1} equally; it feeds neither. Add a "series" to one budget.', a.series, a.budgets.join(l10n.t(' and '))) }));
    out.push(el('h2', { text: l10n.t('Series that tie between budgets ({0})', m.ambiguous.length) }), list);
  }
  return out;
}

function render(): void {
  if (!model) return;
  keepingFocus(() => {
    document.getElementById('head')!.replaceChildren(header(model!), toolbar(model!.restricted));
    buildTable();
    document.getElementById('unclaimed')!.replaceChildren(...unclaimedSection(model!));
  });
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const msg = event.data;
  if (msg.type === 'model') {
    model = msg.model;
    if (msg.select) save({ selected: msg.select });
    save({ folder: msg.model.folder });
    render();
  } else if (msg.type === 'running') {
    running = msg.running;
    render();
  }
});

post({ type: 'ready' });
