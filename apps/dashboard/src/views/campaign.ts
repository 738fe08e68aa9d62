import { COLOURS, type ChartHandle, chartFigure, drawChart } from '../charts.js';
import { choices, remember } from '../choices.js';
import { SCHEME_GROUPS } from '../forecast.js';
import { date, money, number, percent, text } from '../i18n.js';
import { type Table, tableHtml, viewTools } from '../take-away.js';
import { type ViewContext, escape, today } from './shared.js';
import { chooseSubject, listed, subjectControls } from './subject.js';

type Point = { date: string; achieved: number; shouldBe: number };
type Objective = {
  objectiveId: string;
  scheme: string | null;
  metric: string;
  target: number;
  achieved: number;
  attainment: { percent: number } | null;
  requiredPerDay: number | null;
  actualPerDay: number | null;
  aheadOfLine: number;
  series: Point[];
};
type Ratio = { numerator: number; denominator: number; percent: number };
/** A ratio objective: late payments under a ceiling (at-most) or over a floor (at-least). */
type RatioObjective = {
  objectiveId: string;
  scheme: null;
  metric: 'late-payment-ratio';
  target: number;
  targetPercent: number;
  direction: 'at-most' | 'at-least';
  measuredOver: 'window' | 'window-end';
  periods: string[];
  achieved: Ratio | null;
  met: boolean | null;
  marginPoints: number | null;
  baseline: { period: string; ratio: Ratio | null };
  shouldBe: number | null;
  series: { date: string; ratio: Ratio | null; shouldBe: number | null }[];
};
type Standing = {
  rank: number;
  net: number;
  unit?: { name: string };
  organizationId?: string;
  agentId?: string;
};
type Window = { startDate: string; endDate: string; lastDay: string; totalDays: number };
type Progress = {
  campaign: { campaignId: string; name: string; status: string };
  asOf: string;
  window: Window;
  daysElapsed: number;
  daysRemaining: number;
  objectives: (Objective | RatioObjective)[];
  leaderboards: {
    schemes: string[];
    units: { entries: Standing[] };
    organizations: { entries: Standing[] };
    agents: { entries: Standing[] };
  };
};

const MONEY_METRICS = new Set(['contributions', 'debt-recovered']);

/** What the leaderboards can rank by: each scheme, then the groups (GET /schemes/groups). */
const RANKABLE = [
  'compulsory-social-insurance',
  'voluntary-social-insurance',
  'health-insurance',
  'unemployment-insurance',
  ...SCHEME_GROUPS,
];

const isRatio = (objective: Objective | RatioObjective): objective is RatioObjective =>
  'targetPercent' in objective;

const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The status on the day viewed, not today: a campaign that has ended since was running then.
 * Closed or cancelled campaigns stopped on their last day.
 */
export function statusOn(progress: Progress): string {
  const { asOf, window, campaign } = progress;
  if (asOf < window.startDate) return 'notStarted';
  if (asOf <= window.lastDay && campaign.status !== 'cancelled') return 'active';
  return campaign.status === 'active' ? 'ended' : campaign.status;
}

/** Campaign war room, live: each objective's curve to the end date, the target, and where the pace leads. */
export async function campaign(context: ViewContext): Promise<void> {
  const t = text();
  const list = await listed<{ campaignId: string; name: string; startDate: string }>(
    '/campaigns?limit=200',
    'campaigns',
    (item) => ({ value: item.campaignId, label: `${item.name} (${date(item.startDate)})` }),
  ).catch(() => []);
  if (
    !chooseSubject(context, {
      param: 'id',
      kept: 'campaign',
      list,
      empty: t.noCampaigns,
      period: ['asOf', choices().date ?? today()],
    })
  )
    return;
  const campaignId = context.params.get('id')!;
  const asOf = context.params.get('asOf')!;
  /** The scheme or group the leaderboards rank by; the campaign's schemes together when empty. */
  const rank = context.params.get('rank') ?? '';
  remember({ campaign: campaignId, date: asOf });
  const view = context.element;
  view.innerHTML = `
    ${viewTools()}
    <h1 id="title">${escape(campaignId)}</h1>
    <p id="countdown" class="countdown"></p>
    <div data-problem></div>
    <section class="cards" id="objectives"></section>
    <form class="controls rank">
      <label>${t.rankBy}<select name="rank">
        <option value="">${t.campaignSchemes}</option>
        ${RANKABLE.map(
          (scheme) =>
            `<option value="${scheme}"${scheme === rank ? ' selected' : ''}>${escape(t.schemes[scheme])}</option>`,
        ).join('')}
      </select></label>
      <span class="members" data-figure="ranked-schemes"></span>
    </form>
    <section class="cards" id="leaderboards"></section>`;
  view
    .querySelector<HTMLSelectElement>('select[name="rank"]')!
    .addEventListener('change', (event) =>
      context.show({ id: campaignId, asOf, rank: (event.target as HTMLSelectElement).value }),
    );
  subjectControls(
    context,
    { label: t.campaign, param: 'id', list, current: campaignId },
    { label: t.date, param: 'asOf', type: 'date', current: asOf },
  );
  const names = await namesIn(asOf.slice(0, 7));
  const charts: ChartHandle[] = [];
  context.onLeave(() => charts.splice(0).forEach((chart) => chart.destroy()));
  context.follow<Progress>(
    `/feeds/campaigns/${encodeURIComponent(campaignId)}?asOf=${asOf}${rank ? `&scheme=${encodeURIComponent(rank)}` : ''}`,
    'campaign-progress',
    (answer) => {
      const progress = answer.data;
      view.querySelector('#title')!.textContent =
        `${progress.campaign.name} (${date(progress.window.startDate)} – ${date(progress.window.endDate)})`;
      const status = statusOn(progress);
      view.querySelector('#countdown')!.innerHTML =
        `<span class="status campaign-${status}" data-status="${status}">${t.status[status] ?? status}</span> · ${t.daysElapsed}: ${progress.daysElapsed} · ${t.daysRemaining}: ${progress.daysRemaining}`;
      charts.splice(0).forEach((chart) => chart.destroy());
      const cards = view.querySelector('#objectives')!;
      cards.innerHTML = progress.objectives
        .map((objective) =>
          isRatio(objective) ? ratioCard(objective, progress) : objectiveCard(objective, progress),
        )
        .join('');
      for (const objective of progress.objectives) {
        const canvas = document.getElementById(
          `objective-${objective.objectiveId}`,
        ) as HTMLCanvasElement;
        void drawChart(
          canvas,
          isRatio(objective)
            ? ratioChart(objective, progress)
            : objectiveChart(objective, progress),
        ).then((chart) => charts.push(chart));
      }
      const { units, organizations, agents } = progress.leaderboards;
      // The schemes the API ranked by, in words: a group's members, or the campaign's own.
      view.querySelector('[data-figure="ranked-schemes"]')!.textContent =
        `= ${progress.leaderboards.schemes.map((scheme) => t.schemes[scheme] ?? scheme).join(' + ')}`;
      view.querySelector('#leaderboards')!.innerHTML = [
        board(
          'units',
          t.unit,
          units.entries.map((entry) => [entry.unit?.name ?? '', entry.net]),
        ),
        board(
          'organizations',
          t.organization,
          organizations.entries.map((entry) => [
            names.get(entry.organizationId ?? '') ?? entry.organizationId ?? '',
            entry.net,
          ]),
        ),
        board(
          'agents',
          t.agent,
          agents.entries.map((entry) => [
            names.get(entry.agentId ?? '') ?? entry.agentId ?? '',
            entry.net,
          ]),
        ),
      ].join('');
    },
  );
}

/** Organizations' and agents' names: the leaderboards name them by id only. */
async function namesIn(month: string): Promise<Map<string, string>> {
  const named = (kind: string) =>
    listed<{ id: string; name: string | null }>(
      `/performance/${kind}?month=${month}&limit=200`,
      'items',
      (item) => ({ value: item.id, label: item.name ?? item.id }),
    ).catch(() => []);
  const lists = await Promise.all([named('organizations'), named('agents')]);
  return new Map(lists.flat().map(({ value, label }) => [value, label]));
}

/**
 * The whole window, not just the days so far: achieved to the day viewed, the should-be line
 * and the target to the end date, and the pace so far carried on to the end.
 */
function lines(objective: Objective, progress: Progress) {
  const { window } = progress;
  const achieved = new Map(objective.series.map((point) => [point.date, point.achieved]));
  const labels: string[] = [];
  for (let day = window.startDate; day <= window.endDate; day = addDays(day, 1)) labels.push(day);
  const pace = objective.actualPerDay ?? 0;
  const last = objective.series.at(-1);
  return {
    labels,
    achieved: labels.map((day) => achieved.get(day) ?? null),
    shouldBe: labels.map((_, index) =>
      Math.round((objective.target * (index + 1)) / labels.length),
    ),
    target: labels.map(() => objective.target),
    projected: labels.map((day, index) =>
      !last || day < last.date
        ? null
        : Math.round(last.achieved + pace * (index - labels.indexOf(last.date))),
    ),
  };
}

/** The day the pace so far reaches the target, or null when it does not by the end date. */
function projectedFinish(objective: Objective, progress: Progress): string | null {
  if (objective.achieved >= objective.target)
    return (
      objective.series.find((point) => point.achieved >= objective.target)?.date ?? progress.asOf
    );
  const pace = objective.actualPerDay ?? 0;
  if (pace <= 0) return null;
  const last = objective.series.at(-1)?.date ?? progress.asOf;
  const finish = addDays(last, Math.ceil((objective.target - objective.achieved) / pace));
  return finish <= progress.window.endDate ? finish : null;
}

function objectiveChart(objective: Objective, progress: Progress) {
  const t = text();
  const data = lines(objective, progress);
  const line = (label: string, values: (number | null)[], colour: string, dash?: number[]) => ({
    label,
    data: values,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    borderWidth: 2,
    pointRadius: 0,
  });
  const shown = MONEY_METRICS.has(objective.metric) ? money : number;
  return {
    type: 'line',
    data: {
      labels: data.labels.map(date),
      datasets: [
        line(t.achieved, data.achieved, COLOURS.achieved),
        line(t.shouldBe, data.shouldBe, COLOURS.plan, [6, 4]),
        line(t.target, data.target, COLOURS.target, [2, 2]),
        line(t.projected, data.projected, COLOURS.achieved, [2, 3]),
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, ticks: { callback: (value: number) => shown(value) } } },
    },
  };
}

function objectiveTable(objective: Objective, progress: Progress): Table {
  const t = text();
  const data = lines(objective, progress);
  const cell = (value: number | null) => (value === null ? '—' : { text: number(value), value });
  return {
    headers: [t.date, t.achieved, t.shouldBe, t.projected],
    rows: data.labels.map((day, index) => [
      date(day),
      cell(data.achieved[index]),
      cell(data.shouldBe[index]),
      cell(data.projected[index]),
    ]),
  };
}

/** "Participants developed — All schemes": a scheme group is named as one, in the page's language. */
function objectiveName(objective: Objective | RatioObjective): string {
  const t = text();
  const scheme = objective.scheme ? ` — ${t.schemes[objective.scheme] ?? objective.scheme}` : '';
  return `${t.metrics[objective.metric] ?? objective.metric}${scheme}`;
}

function objectiveCard(objective: Objective, progress: Progress): string {
  const t = text();
  const name = objectiveName(objective);
  const shown = MONEY_METRICS.has(objective.metric) ? money : number;
  const finish = projectedFinish(objective, progress);
  const behind = objective.aheadOfLine < 0;
  return `
    <article class="card" data-objective="${escape(objective.objectiveId)}">
      <h2>${escape(name)}</h2>
      <div class="figure" data-figure="achieved">${shown(objective.achieved)}</div>
      <div class="percent${behind ? ' low' : ''}">${objective.attainment ? percent(objective.attainment.percent) : '—'} / ${shown(objective.target)}</div>
      ${chartFigure(`objective-${objective.objectiveId}`, name, objectiveTable(objective, progress), true)}
      <dl>
        <dt>${t.aheadOfLine}</dt><dd>${shown(objective.aheadOfLine)}</dd>
        <dt>${t.requiredPerDay}</dt><dd>${objective.requiredPerDay === null ? '—' : shown(objective.requiredPerDay)}</dd>
        <dt>${t.projectedFinish}</dt><dd data-figure="projected-finish">${finish ? date(finish) : t.notReached}</dd>
      </dl>
    </article>`;
}

function board(id: string, title: string, rows: [string, number][]): string {
  const t = text();
  return `
    <article class="card"><h2>${escape(title)}</h2>
      ${tableHtml(`board-${id}`, { headers: ['#', title, t.achieved], rows: rows.map(([name, net], index) => [String(index + 1), name, { text: number(net), value: net }]) })}
      <div class="take-away"><button type="button" data-csv="board-${id}">${t.downloadCsv}</button></div>
    </article>`;
}

const basisPointsText = (value: number) => percent(value / 100);

/** The ratio through each day of the window, the target, and the should-be line where there is one. */
function ratioLines(objective: RatioObjective, progress: Progress) {
  const { window } = progress;
  const measured = new Map(objective.series.map((point) => [point.date, point]));
  const labels: string[] = [];
  for (let day = window.startDate; day <= window.endDate; day = addDays(day, 1)) labels.push(day);
  return {
    labels,
    ratio: labels.map((day) => measured.get(day)?.ratio?.percent ?? null),
    shouldBe: labels.map((day) => {
      const point = measured.get(day)?.shouldBe;
      return point === undefined || point === null ? null : point / 100;
    }),
    target: labels.map(() => objective.targetPercent),
  };
}

function ratioChart(objective: RatioObjective, progress: Progress) {
  const t = text();
  const data = ratioLines(objective, progress);
  const line = (label: string, values: (number | null)[], colour: string, dash?: number[]) => ({
    label,
    data: values,
    borderColor: colour,
    backgroundColor: colour,
    borderDash: dash,
    borderWidth: 2,
    pointRadius: 0,
  });
  const datasets = [
    line(t.ratioMetric, data.ratio, COLOURS.achieved),
    line(`${t.target} (${t.direction[objective.direction]})`, data.target, COLOURS.target, [2, 2]),
  ];
  if (data.shouldBe.some((value) => value !== null))
    datasets.push(line(t.shouldBe, data.shouldBe, COLOURS.plan, [6, 4]));
  return {
    type: 'line',
    data: { labels: data.labels.map(date), datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        y: { beginAtZero: true, ticks: { callback: (value: number) => percent(value) } },
      },
    },
  };
}

function ratioTable(objective: RatioObjective, progress: Progress): Table {
  const t = text();
  const data = ratioLines(objective, progress);
  const cell = (value: number | null) =>
    value === null ? '—' : { text: percent(value), value: value.toFixed(2) };
  return {
    headers: [t.date, t.ratioMetric, t.target, t.shouldBe],
    rows: data.labels.map((day, index) => [
      date(day),
      cell(data.ratio[index]),
      cell(data.target[index]),
      cell(data.shouldBe[index]),
    ]),
  };
}

const MET_MARKS: Record<string, string> = { met: '✓', notMet: '✗', unknown: '–' };

/**
 * A ratio objective: the ratio so far, its limit and direction, met or not in words and a
 * mark (not colour alone), how far on the right side, and the should-be line when measured
 * as of the end (over the whole window the target applies to the sum, so there is none).
 */
function ratioCard(objective: RatioObjective, progress: Progress): string {
  const t = text();
  const name = objectiveName(objective);
  const met = objective.met === null ? 'unknown' : objective.met ? 'met' : 'notMet';
  const limit = `${t.target}: ${t.direction[objective.direction]} ${percent(objective.targetPercent)} (${t.measuredOver[objective.measuredOver]})`;
  const baseline = objective.baseline.ratio ? percent(objective.baseline.ratio.percent) : '—';
  return `
    <article class="card ratio status-${met}" data-objective="${escape(objective.objectiveId)}" data-metric="${objective.metric}">
      <h2>${escape(name)}</h2>
      <span class="status ${met}" data-status="${met}"><span aria-hidden="true">${MET_MARKS[met]}</span> ${t.met[met]}</span>
      <div class="figure" data-figure="ratio">${objective.achieved ? percent(objective.achieved.percent) : '—'}</div>
      <div class="percent" data-figure="limit">${escape(limit)}</div>
      ${chartFigure(`objective-${objective.objectiveId}`, name, ratioTable(objective, progress), true)}
      <dl>
        <dt>${t.margin}</dt><dd data-figure="margin">${
          objective.marginPoints === null
            ? '—'
            : `${objective.marginPoints > 0 ? '+' : ''}${number(objective.marginPoints, 2)} ${t.points}`
        }</dd>
        <dt>${t.shouldBeNow}</dt><dd data-figure="should-be">${
          objective.shouldBe === null ? t.noShouldBeLine : basisPointsText(objective.shouldBe)
        }</dd>
        <dt>${t.baseline} (${escape(objective.baseline.period.split('-').reverse().join('/'))})</dt><dd data-figure="baseline">${baseline}</dd>
      </dl>
    </article>`;
}
