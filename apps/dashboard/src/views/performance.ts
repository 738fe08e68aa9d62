import { type ReadAnswer, follow } from '../api.js';
import { number, percent, text } from '../i18n.js';
import { escape } from './shared.js';

type Performance = {
  id: string;
  name: string | null;
  rank: number;
  month: {
    newParticipants: number;
    stops: number;
    net: number;
    collected: number;
    retention: { ratio: { percent: number } | null };
  };
  development: { monthTarget: number; monthAttainment: { percent: number } } | null;
  underPerforming: boolean;
};
type PerformanceList = { month: string; items: Performance[]; total: number };

/** Agents of an organization in a month, ranked, with the under-performers marked; live. */
export function performance(
  view: HTMLElement,
  params: URLSearchParams,
  report: (answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting') => void,
): () => void {
  const t = text();
  const organizationId = params.get('organization') ?? '';
  const month =
    params.get('month') ?? new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 7);
  view.innerHTML = `
    <form class="controls">
      <label>${t.organization}<input name="organization" value="${escape(organizationId)}" required /></label>
      <label>${t.month}<input name="month" type="month" value="${escape(month)}" required /></label>
      <button>${t.show}</button>
    </form>
    <h1>${escape(organizationId)} — ${escape(month.split('-').reverse().join('/'))}</h1>
    <table id="agents"></table>`;
  view.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    location.hash = `#/performance?organization=${encodeURIComponent(String(form.get('organization')))}&month=${form.get('month')}`;
  });
  const render = (answer: ReadAnswer<PerformanceList>) => {
    view.querySelector('#agents')!.innerHTML = `
      <thead><tr><th>${t.agent}</th><th>#</th><th>${t.newParticipants}</th><th>${t.stopped}</th>
        <th>${t.retention}</th><th>${t.collected}</th><th>${t.againstTarget}</th></tr></thead>
      <tbody>${answer.data.items
        .map(
          (agent) => `
          <tr data-agent="${escape(agent.id)}" class="${agent.underPerforming ? 'under' : ''}">
            <td>${escape(agent.name ?? agent.id)}${agent.underPerforming ? ` <span class="flag">${t.underPerforming}</span>` : ''}</td>
            <td>${agent.rank}</td>
            <td data-figure="new">${number(agent.month.newParticipants)}</td>
            <td>${number(agent.month.stops)}</td>
            <td>${agent.month.retention.ratio ? percent(agent.month.retention.ratio.percent) : '—'}</td>
            <td>${number(agent.month.collected)}</td>
            <td>${agent.development ? percent(agent.development.monthAttainment.percent) : '—'}</td>
          </tr>`,
        )
        .join('')}</tbody>`;
    report(answer);
  };
  return follow<PerformanceList>(
    `/feeds/organizations/${encodeURIComponent(organizationId)}?month=${month}`,
    'agent-performance',
    render,
    (state) => report({ data: null, position: 0, head: 0, lag: 0 }, state),
  );
}
