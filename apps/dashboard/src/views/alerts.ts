import { type ApiError, request } from '../api.js';
import { number, text } from '../i18n.js';
import { type ViewContext, describe, escape, notice } from './shared.js';

type Alert = {
  alertId: string;
  condition: string;
  subject: { kind: string; id: string };
  period: string;
  status: 'raised' | 'cleared';
  figures: Record<string, unknown>;
  observedOn: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
};
type AlertList = { alerts: Alert[]; total: number };

const STATUSES = ['raised', 'cleared', 'all'] as const;

/** What the figures say, briefly: the numbers that made the alert. */
function figuresOf({ figures }: Alert): string {
  return Object.entries(figures)
    .filter(([key, value]) => key !== 'asOf' && value !== null && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'number' ? number(value) : String(value)}`)
    .join(' · ');
}

/**
 * The alert list, live through the alerts feed (GET /feeds/alerts), latest change first, with
 * an acknowledge button on each raised alert nobody has acknowledged. Acknowledging records
 * AlertAcknowledged; the feed then pushes the list with who did it.
 */
export function alerts(context: ViewContext): void {
  const t = text();
  const l = t.alertList;
  const chosen = context.params.get('status');
  const status = STATUSES.includes(chosen as never)
    ? (chosen as (typeof STATUSES)[number])
    : 'raised';
  const view = context.element;
  view.innerHTML = `
    <h1>${escape(t.alerts)}</h1>
    <div data-problem></div>
    <p class="filters">${STATUSES.map(
      (each) =>
        `<a href="#/alerts?status=${each}"${each === status ? ' aria-current="true"' : ''}>${escape(l.statuses[each])}</a>`,
    ).join(' · ')}</p>
    <div id="alert-list"></div>`;
  const problem = view.querySelector('[data-problem]')!;
  const container = view.querySelector<HTMLElement>('#alert-list')!;

  container.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const alertId = form.dataset.acknowledge!;
    const note = (form.elements.namedItem('note') as HTMLInputElement).value.trim();
    const button = form.querySelector('button')!;
    button.disabled = true;
    void acknowledge(alertId, note || null).then(
      () => (problem.innerHTML = ''),
      (error: ApiError) => {
        button.disabled = false;
        notice(problem, describe(error), true);
      },
    );
  });

  const filter = status === 'all' ? '' : `status=${status}&`;
  context.follow<AlertList>(`/feeds/alerts?${filter}limit=200`, 'alerts', (answer) => {
    const list = answer.data.alerts;
    if (list.length === 0) return notice(container, l.none);
    // Keep a note being typed when the list is pushed again.
    const typing = new Map(
      [...container.querySelectorAll<HTMLFormElement>('form[data-acknowledge]')].map((form) => [
        form.dataset.acknowledge!,
        (form.elements.namedItem('note') as HTMLInputElement).value,
      ]),
    );
    container.innerHTML = `
      <table id="alerts">
        <thead><tr><th scope="col">${l.condition}</th><th scope="col">${l.subject}</th>
          <th scope="col">${l.period}</th><th scope="col">${l.observedOn}</th>
          <th scope="col">${l.status}</th><th scope="col">${l.acknowledged}</th></tr></thead>
        <tbody>${list.map((alert) => row(alert, typing.get(alert.alertId) ?? '')).join('')}</tbody>
      </table>`;
  });
}

function row(alert: Alert, note: string): string {
  const l = text().alertList;
  const acknowledged = alert.acknowledgedBy
    ? `${escape(alert.acknowledgedBy)}${alert.note ? ` — ${escape(alert.note)}` : ''}`
    : alert.status === 'raised'
      ? `<form data-acknowledge="${escape(alert.alertId)}">
           <input name="note" aria-label="${l.note}" placeholder="${l.note}" maxlength="500" value="${escape(note)}">
           <button type="submit">${l.acknowledge}</button>
         </form>`
      : '—';
  return `
    <tr data-alert="${escape(alert.alertId)}" data-status="${alert.status}" class="${alert.status === 'raised' ? 'under' : ''}">
      <td>${escape(l.conditions[alert.condition] ?? alert.condition)}<br><small>${escape(figuresOf(alert))}</small></td>
      <td>${escape(alert.subject.kind)} ${escape(alert.subject.id)}</td>
      <td>${escape(alert.period)}</td>
      <td>${escape(alert.observedOn)}</td>
      <td>${escape(l.statuses[alert.status])}</td>
      <td data-acknowledged>${acknowledged}</td>
    </tr>`;
}

/**
 * POST /alerts/:alertId/acknowledgements. A refusal (a viewer's 403, a 409 when someone else
 * was first) is shown in the view, not taken for a lost session; a 401 (the token expired)
 * signs out like any other request.
 */
async function acknowledge(alertId: string, note: string | null): Promise<void> {
  await request(
    `/alerts/${encodeURIComponent(alertId)}/acknowledgements`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ note }),
    },
    false,
  );
}
