import { type ReadAnswer, follow } from '../api.js';
import { date, number, percent, text } from '../i18n.js';
import { type ChartHandle, chart, escape, today } from './shared.js';

type Point = { date: string; achieved: number; shouldBe: number };
type Objective = {
  objectiveId: string;
  scheme: string | null;
  metric: string;
  target: number;
  achieved: number;
  attainment: { percent: number } | null;
  requiredPerDay: number | null;
  aheadOfLine: number;
  series: Point[];
};
type Standing = {
  rank: number;
  net: number;
  unit?: { name: string };
  organizationId?: string;
  agentId?: string;
};
type Progress = {
  campaign: { campaignId: string; name: string; status: string };
  window: { startDate: string; endDate: string };
  daysElapsed: number;
  daysRemaining: number;
  objectives: Objective[];
  leaderboards: {
    units: { entries: Standing[] };
    organizations: { entries: Standing[] };
    agents: { entries: Standing[] };
  };
};

/** Campaign war room: each objective's cumulative curve against the should-be line, live. */
export function campaign(
  view: HTMLElement,
  params: URLSearchParams,
  report: (answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting') => void,
): () => void {
  const t = text();
  const campaignId = params.get('id') ?? '';
  const asOf = params.get('asOf') ?? today();
  view.innerHTML = `
    <form class="controls">
      <label>${t.campaign}<input name="id" value="${escape(campaignId)}" required /></label>
      <label>${t.date}<input name="asOf" type="date" value="${escape(asOf)}" required /></label>
      <button>${t.show}</button>
    </form>
    <h1 id="title"></h1>
    <p id="countdown" class="countdown"></p>
    <section class="cards" id="objectives"></section>
    <section class="cards" id="leaderboards"></section>`;
  view.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    location.hash = `#/campaign?id=${encodeURIComponent(String(form.get('id')))}&asOf=${form.get('asOf')}`;
  });
  const charts: ChartHandle[] = [];
  const render = (answer: ReadAnswer<Progress>) => {
    const progress = answer.data;
    view.querySelector('#title')!.textContent =
      `${progress.campaign.name} (${date(progress.window.startDate)} – ${date(progress.window.endDate)})`;
    view.querySelector('#countdown')!.textContent =
      `${t.status[progress.campaign.status] ?? progress.campaign.status} · ${t.daysElapsed}: ${progress.daysElapsed} · ${t.daysRemaining}: ${progress.daysRemaining}`;
    charts.splice(0).forEach((handle) => handle.destroy());
    const cards = view.querySelector('#objectives')!;
    cards.innerHTML = progress.objectives.map(objectiveCard).join('');
    for (const objective of progress.objectives) {
      const canvas = cards.querySelector<HTMLCanvasElement>(
        `canvas[data-objective="${objective.objectiveId}"]`,
      )!;
      charts.push(
        chart(canvas, {
          type: 'line',
          data: {
            labels: objective.series.map((point) => date(point.date)),
            datasets: [
              {
                label: t.achieved,
                data: objective.series.map((point) => point.achieved),
                borderColor: '#0b6e4f',
                pointRadius: 0,
              },
              {
                label: t.shouldBe,
                data: objective.series.map((point) => point.shouldBe),
                borderColor: '#9aa8b6',
                borderDash: [6, 4],
                pointRadius: 0,
              },
            ],
          },
          options: {
            animation: false,
            maintainAspectRatio: false,
            scales: {
              y: { beginAtZero: true, ticks: { callback: (value: number) => number(value) } },
            },
          },
        }),
      );
    }
    const { units, organizations, agents } = progress.leaderboards;
    view.querySelector('#leaderboards')!.innerHTML = [
      board(
        t.unit,
        units.entries.map((entry) => [entry.unit?.name ?? '', entry.net]),
      ),
      board(
        t.organization,
        organizations.entries.map((entry) => [entry.organizationId ?? '', entry.net]),
      ),
      board(
        t.agent,
        agents.entries.map((entry) => [entry.agentId ?? '', entry.net]),
      ),
    ].join('');
    report(answer);
  };
  const stop = follow<Progress>(
    `/feeds/campaigns/${encodeURIComponent(campaignId)}?asOf=${asOf}`,
    'campaign-progress',
    render,
    (state) => report({ data: null, position: 0, head: 0, lag: 0 }, state),
  );
  return () => {
    stop();
    charts.forEach((handle) => handle.destroy());
  };
}

function objectiveCard(objective: Objective): string {
  const t = text();
  const name = `${t.metrics[objective.metric] ?? objective.metric}${objective.scheme ? ` — ${t.schemes[objective.scheme]}` : ''}`;
  return `
    <article class="card" data-objective="${escape(objective.objectiveId)}">
      <h2>${escape(name)}</h2>
      <div class="figure" data-figure="achieved">${number(objective.achieved)}</div>
      <div class="percent${objective.aheadOfLine < 0 ? ' low' : ''}">${objective.attainment ? percent(objective.attainment.percent) : '—'} / ${number(objective.target)}</div>
      <div class="chart tall"><canvas data-objective="${escape(objective.objectiveId)}"></canvas></div>
      <dl>
        <dt>${t.aheadOfLine}</dt><dd>${number(objective.aheadOfLine)}</dd>
        <dt>${t.requiredPerDay}</dt><dd>${objective.requiredPerDay === null ? '—' : number(objective.requiredPerDay, 1)}</dd>
      </dl>
    </article>`;
}

function board(title: string, rows: [string, number][]): string {
  return `
    <article class="card"><h2>${escape(title)}</h2>
      <table>${rows.map(([name, net], index) => `<tr><td>${index + 1}. ${escape(name)}</td><td>${number(net)}</td></tr>`).join('')}</table>
    </article>`;
}
