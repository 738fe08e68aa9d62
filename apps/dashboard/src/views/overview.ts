import { type ReadAnswer, follow, get } from '../api.js';
import { date, number, percent, signed, text } from '../i18n.js';
import { type ChartHandle, chart, escape, today } from './shared.js';

type Ratio = { numerator: number; denominator: number; percent: number };
type Figures = {
  scheme: string;
  participants: number;
  plan: { target: number; revised: boolean; originalTarget: number } | null;
  attainment: Ratio | null;
  changeSinceDecember: { change: number };
  changeYearOnYear: { change: number };
  coverage: (Ratio & { year: number }) | null;
  remainingToPlan: number | null;
  runRate: { requiredPerDay: number | null; last30DaysPerDay: number };
};
type Unit = { unitId: string; name: string; level: string };
type UnitAttainment = { unit: Unit; schemes: Figures[] };
type Children = { unit: Unit; children: UnitAttainment[]; total: number };

/** Province overview: attainment per scheme against the plan line, live, with drill-down. */
export function overview(
  view: HTMLElement,
  params: URLSearchParams,
  report: (answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting') => void,
): () => void {
  const t = text();
  const unitId = params.get('unit') ?? 'HP';
  const day = params.get('date') ?? today();
  view.innerHTML = `
    <form class="controls">
      <label>${t.unit}<input name="unit" value="${escape(unitId)}" required /></label>
      <label>${t.date}<input name="date" type="date" value="${escape(day)}" required /></label>
      <button>${t.show}</button>
    </form>
    <h1 id="title"></h1>
    <section class="cards" id="cards"></section>
    <h2>${t.children}</h2>
    <table id="children"></table>`;
  view.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    location.hash = `#/overview?unit=${encodeURIComponent(String(form.get('unit')))}&date=${form.get('date')}`;
  });
  const charts: ChartHandle[] = [];
  const render = (answer: ReadAnswer<UnitAttainment>) => {
    const { unit, schemes } = answer.data;
    view.querySelector('#title')!.textContent = `${unit.name} — ${date(day)}`;
    charts.splice(0).forEach((chart) => chart.destroy());
    const cards = view.querySelector('#cards')!;
    cards.innerHTML = schemes
      .filter((figures) => figures.participants > 0 || figures.plan)
      .map((figures) => card(figures))
      .join('');
    for (const figures of schemes) {
      const canvas = cards.querySelector<HTMLCanvasElement>(
        `canvas[data-scheme="${figures.scheme}"]`,
      );
      if (canvas && figures.plan) charts.push(planChart(canvas, figures));
    }
    report(answer);
  };
  const stop = follow<UnitAttainment>(
    `/feeds/units/${encodeURIComponent(unitId)}?date=${day}`,
    'attainment',
    render,
    (state) => report({ data: null, position: 0, head: 0, lag: 0 }, state),
  );
  void get<Children>(
    `/units/${encodeURIComponent(unitId)}/children/attainment?date=${day}&limit=200`,
  ).then(
    (answer) => renderChildren(view.querySelector('#children')!, answer.data, day),
    (error: Error) =>
      (view.querySelector('#children')!.innerHTML =
        `<tr><td class="error">${escape(error.message)}</td></tr>`),
  );
  return () => {
    stop();
    charts.forEach((chart) => chart.destroy());
  };
}

function card(figures: Figures): string {
  const t = text();
  const low = figures.attainment && figures.attainment.percent < 90 ? ' low' : '';
  return `
    <article class="card" data-scheme="${figures.scheme}">
      <h2>${t.schemes[figures.scheme] ?? figures.scheme}</h2>
      <div class="figure" data-figure="participants">${number(figures.participants)}</div>
      <div class="percent${low}" data-figure="attainment">${
        figures.attainment
          ? `${percent(figures.attainment.percent)} ${t.plan.toLowerCase()}`
          : t.noPlan
      }</div>
      ${figures.plan ? `<div class="chart"><canvas data-scheme="${figures.scheme}"></canvas></div>` : ''}
      <dl>
        <dt>${t.plan}</dt><dd>${figures.plan ? number(figures.plan.target) : '—'}</dd>
        <dt>${t.sinceDecember}</dt><dd data-figure="since-december">${signed(figures.changeSinceDecember.change)}</dd>
        <dt>${t.yearOnYear}</dt><dd>${signed(figures.changeYearOnYear.change)}</dd>
        <dt>${t.coverage}</dt><dd>${figures.coverage ? `${percent(figures.coverage.percent)} (${figures.coverage.year})` : '—'}</dd>
        <dt>${t.remaining}</dt><dd>${figures.remainingToPlan === null ? '—' : number(figures.remainingToPlan)}</dd>
        <dt>${t.requiredPerDay}</dt><dd>${figures.runRate.requiredPerDay === null ? '—' : number(figures.runRate.requiredPerDay, 1)}</dd>
        <dt>${t.observedPerDay}</dt><dd>${number(figures.runRate.last30DaysPerDay, 1)}</dd>
      </dl>
    </article>`;
}

/** A horizontal bar of participants against the plan, the plan drawn as its own bar. */
function planChart(canvas: HTMLCanvasElement, figures: Figures) {
  const t = text();
  return chart(canvas, {
    type: 'bar',
    data: {
      labels: [t.participants, t.plan],
      datasets: [
        {
          data: [figures.participants, figures.plan!.target],
          backgroundColor: ['#0b6e4f', '#c9d3dd'],
        },
      ],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item: { raw: number }) => number(item.raw) } },
      },
      scales: { x: { beginAtZero: true, ticks: { callback: (value: number) => number(value) } } },
    },
  });
}

function renderChildren(table: HTMLElement, { children }: Children, day: string): void {
  const t = text();
  const schemes = children[0]?.schemes.map(({ scheme }) => scheme) ?? [];
  table.innerHTML = `
    <thead><tr><th>${t.unit}</th>${schemes.map((scheme) => `<th>${t.schemes[scheme]}</th>`).join('')}</tr></thead>
    <tbody>${children
      .map(
        ({ unit, schemes: figures }) => `
        <tr>
          <td><a href="#/overview?unit=${encodeURIComponent(unit.unitId)}&date=${day}">${escape(unit.name)}</a></td>
          ${figures
            .map(
              (scheme) =>
                `<td>${number(scheme.participants)}${scheme.attainment ? ` (${percent(scheme.attainment.percent)})` : ''}</td>`,
            )
            .join('')}
        </tr>`,
      )
      .join('')}</tbody>`;
}
