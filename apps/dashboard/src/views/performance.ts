import { tokenOrganization } from '../api.js';
import { choices, remember } from '../choices.js';
import { money, number, percent, text } from '../i18n.js';
import { viewTools } from '../take-away.js';
import { type ViewContext, escape, notice, today } from './shared.js';
import { chooseSubject, listed, subjectControls } from './subject.js';

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
export async function performance(context: ViewContext): Promise<void> {
  const t = text();
  const kept = choices();
  const month = context.params.get('month') ?? kept.month ?? (kept.date ?? today()).slice(0, 7);
  const list = await listed<{ id: string; name: string | null }>(
    `/performance/organizations?month=${month}&limit=200`,
    'items',
    (item) => ({ value: item.id, label: item.name ?? item.id }),
  ).catch(() => []);
  if (
    !chooseSubject(context, {
      param: 'organization',
      kept: 'organization',
      list,
      empty: t.noOrganizations,
      period: ['month', month],
      preferred: tokenOrganization(),
    })
  )
    return;
  const organizationId = context.params.get('organization')!;
  remember({ organization: organizationId, month });
  const name = list.find(({ value }) => value === organizationId)?.label ?? organizationId;
  const view = context.element;
  view.innerHTML = `
    ${viewTools()}
    <h1>${escape(name)} — ${escape(month.split('-').reverse().join('/'))}</h1>
    <div data-problem></div>
    <div class="take-away"><button type="button" data-csv="agents">${t.downloadCsv}</button></div>
    <div id="agent-list"></div>`;
  subjectControls(
    context,
    { label: t.organization, param: 'organization', list, current: organizationId },
    { label: t.month, param: 'month', type: 'month', current: month },
  );
  context.follow<PerformanceList>(
    `/feeds/organizations/${encodeURIComponent(organizationId)}?month=${month}`,
    'agent-performance',
    (answer) => {
      const container = view.querySelector('#agent-list')!;
      if (answer.data.items.length === 0) return notice(container, t.noAgents);
      container.innerHTML = `
        <table id="agents">
          <thead><tr><th scope="col">${t.agent}</th><th scope="col">#</th><th scope="col">${t.newParticipants}</th><th scope="col">${t.stopped}</th>
            <th scope="col">${t.retention}</th><th scope="col">${t.collected}</th><th scope="col">${t.againstTarget}</th></tr></thead>
          <tbody>${answer.data.items
            .map(
              (agent) => `
              <tr data-agent="${escape(agent.id)}" class="${agent.underPerforming ? 'under' : ''}">
                <td>${escape(agent.name ?? agent.id)}${agent.underPerforming ? ` <span class="flag">⚠ ${t.underPerforming}</span>` : ''}</td>
                <td>${agent.rank}</td>
                <td data-figure="new" data-value="${agent.month.newParticipants}">${number(agent.month.newParticipants)}</td>
                <td data-value="${agent.month.stops}">${number(agent.month.stops)}</td>
                <td>${agent.month.retention.ratio ? percent(agent.month.retention.ratio.percent) : '—'}</td>
                <td data-value="${agent.month.collected}">${money(agent.month.collected)}</td>
                <td>${agent.development ? percent(agent.development.monthAttainment.percent) : '—'}</td>
              </tr>`,
            )
            .join('')}</tbody>
        </table>`;
    },
  );
}
