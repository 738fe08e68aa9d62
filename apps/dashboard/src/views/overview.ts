import { ApiError, get } from '../api.js';
import { type ChartHandle } from '../charts.js';
import { choices, remember } from '../choices.js';
import { type SchemeFigures } from '../forecast.js';
import { date, text } from '../i18n.js';
import { type FoundUnit, searchUnits, unitById, unitPicker } from '../pickers.js';
import { viewTools } from '../take-away.js';
import { type UnitFigures, childrenTable } from './children-table.js';
import { schemeCard } from './overview-cards.js';
import { type ViewContext, describe, escape, notice, today } from './shared.js';
import { trendChart } from './trend-chart.js';

/** Where to open without a unit or date: the last choice, else the top unit with figures. */
async function defaults(context: ViewContext): Promise<void> {
  const kept = choices();
  const chosen = context.params.get('unit') ?? kept.unit;
  let unit: FoundUnit | null | undefined = chosen ? await unitById(chosen) : null;
  unit ??= (await searchUnits(''))[0];
  if (!unit) {
    notice(context.element, text().nothingYet);
    return;
  }
  context.show(
    {
      unit: unit.unitId,
      date: context.params.get('date') ?? kept.date ?? unit.latestDataOn ?? today(),
      sort: context.params.get('sort') ?? undefined,
    },
    true,
  );
}

/**
 * Province overview, live: per scheme, where it stands against the plan and where the current
 * pace leads by year end; the year's trend; the units below, sortable, with what is not
 * allocated to any of them.
 */
export async function overview(context: ViewContext): Promise<void> {
  const { element: view, params } = context;
  const t = text();
  const unitId = params.get('unit');
  const day = params.get('date');
  if (!unitId || !day) return defaults(context).catch(() => undefined);
  let sort = params.get('sort') ?? 'name';
  remember({ unit: unitId, date: day });
  view.innerHTML = `
    <form class="controls">
      <div class="unit-picker"></div>
      <label>${t.date}<input name="date" type="date" value="${escape(day)}" required /></label>
      <button>${t.show}</button>
    </form>
    ${viewTools()}
    <nav class="breadcrumbs" aria-label="${escape(t.unit)}"></nav>
    <h1 id="title">${escape(unitId)} — ${date(day)}</h1>
    <div data-problem></div>
    <section class="cards" id="cards"></section>
    <section class="trends" id="trends"></section>
    <h2>${t.children}</h2>
    <div id="children"></div>`;
  const form = view.querySelector('form')!;
  unitPicker(view.querySelector('.unit-picker')!, '', (unit) =>
    context.show({ unit: unit.unitId, date: String(new FormData(form).get('date')), sort }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    context.show({ unit: unitId, date: String(new FormData(form).get('date')), sort });
  });
  void unitById(unitId).then(
    (unit) => {
      if (!unit) return;
      (view.querySelector('input[name="unit-search"]') as HTMLInputElement).value = unit.name;
      view.querySelector('.breadcrumbs')!.innerHTML = unit.path
        .map(
          (above) =>
            `<a href="#/overview?unit=${encodeURIComponent(above.unitId)}&date=${day}">${escape(above.name)}</a>`,
        )
        .join(' › ');
    },
    () => undefined,
  );

  const charts: ChartHandle[] = [];
  context.onLeave(() => charts.splice(0).forEach((chart) => chart.destroy()));
  let parent: UnitFigures | undefined;
  let children: UnitFigures[] | undefined;
  const showChildren = () => {
    if (parent && children)
      view.querySelector('#children')!.innerHTML = childrenTable(parent, children, sort, day);
  };
  view.querySelector('#children')!.addEventListener('click', (event) => {
    const key = (event.target as Element).closest<HTMLElement>('[data-sort]')?.dataset.sort;
    if (!key) return;
    sort = key;
    // The order is part of what a shared link shows, but changes nothing to re-read.
    history.replaceState(
      null,
      '',
      `#/overview?unit=${encodeURIComponent(unitId)}&date=${day}&sort=${encodeURIComponent(sort)}`,
    );
    showChildren();
  });

  let trendsDrawn = false;
  context.follow<UnitFigures>(
    `/feeds/units/${encodeURIComponent(unitId)}?date=${day}`,
    'attainment',
    (answer) => {
      parent = answer.data;
      const shown = parent.schemes.filter(
        (figures) => figures.participants > 0 || figures.plan || figures.coverageAttainment,
      );
      view.querySelector('#title')!.textContent = `${parent.unit.name} — ${date(day)}`;
      const cards = view.querySelector('#cards')!;
      if (shown.length === 0) notice(cards, t.nothingYet);
      else cards.innerHTML = shown.map(schemeCard).join('');
      showChildren();
      if (!trendsDrawn) {
        trendsDrawn = true;
        drawTrends(view.querySelector('#trends')!, unitId, shown, charts);
      }
    },
  );
  get<{ children: UnitFigures[] }>(
    `/units/${encodeURIComponent(unitId)}/children/attainment?date=${day}&limit=200`,
  ).then(
    (answer) => {
      children = answer.data.children;
      showChildren();
    },
    (error) => {
      if (error instanceof ApiError && !error.signedOut)
        notice(view.querySelector('#children')!, describe(error), true);
    },
  );
}

/** The trend of each scheme that has a plan, drawn once: the cards above carry the live figure. */
function drawTrends(
  container: HTMLElement,
  unitId: string,
  schemes: SchemeFigures[],
  charts: ChartHandle[],
): void {
  for (const figures of schemes.filter((each) => each.plan)) {
    const slot = document.createElement('div');
    container.append(slot);
    trendChart(slot, unitId, figures).then(
      (chart) => chart && charts.push(chart),
      (error: Error) => notice(slot, error.message, true),
    );
  }
}
