import { ApiError, get } from '../api.js';
import { type ChartHandle } from '../charts.js';
import { choices, remember } from '../choices.js';
import { SCHEME_GROUPS, type SchemeFigures, shownFigures } from '../forecast.js';
import { date, text } from '../i18n.js';
import { type FoundUnit, searchUnits, unitById, unitPicker } from '../pickers.js';
import { viewTools } from '../take-away.js';
import { type UnitFigures, childrenTable } from './children-table.js';
import { schemeCard } from './overview-cards.js';
import { type ViewContext, coalesced, describe, escape, notice, today } from './shared.js';
import { type Trend, trendChart } from './trend-chart.js';

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
 * The cards in order, replacing only those whose content changed: a snapshot often changes a
 * few figures, and the other cards stay the same elements (what a reader is selecting or
 * pointing at stays put).
 */
const drawnAs = new WeakMap<Element, string>();

function showCards(container: Element, figures: SchemeFigures[]): void {
  const shown = new Set(figures.map(({ scheme }) => scheme));
  for (const child of [...container.children])
    if (!shown.has((child as HTMLElement).dataset.scheme ?? '')) child.remove();
  let previous: Element | null = null;
  for (const each of figures) {
    const html = schemeCard(each).trim();
    let card = [...container.children].find(
      (child) => (child as HTMLElement).dataset.scheme === each.scheme,
    );
    if (!card || drawnAs.get(card) !== html) {
      const template = document.createElement('template');
      template.innerHTML = html;
      const fresh = template.content.firstElementChild!;
      drawnAs.set(fresh, html);
      if (card) card.replaceWith(fresh);
      card = fresh;
    }
    const expected: Element | null = previous
      ? previous.nextElementSibling
      : container.firstElementChild;
    if (expected !== card) {
      if (previous) previous.after(card);
      else container.prepend(card);
    }
    previous = card;
  }
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
  const trends = new Map<string, Promise<Trend | undefined>>();
  /** The figures each trend was last drawn or refreshed from. */
  const trendFigures = new Map<string, string>();
  let unit: UnitFigures['unit'] | undefined;
  let schemes: SchemeFigures[] | undefined;
  // Each group's figures come from the API's own read of the group (its sums and its own
  // plan), in the same answer as the schemes (`groups=true`); never added up here.
  const groups = new Map<string, SchemeFigures>();
  let children: UnitFigures[] | undefined;
  const shown = () =>
    shownFigures(
      schemes ?? [],
      SCHEME_GROUPS.flatMap((group) => groups.get(group) ?? []),
    );
  const showChildren = () => {
    if (unit && schemes && children)
      view.querySelector('#children')!.innerHTML = childrenTable(
        { unit, schemes: shown() },
        children,
        sort,
        day,
      );
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

  // The units below, with the groups' figures, read again after every snapshot.
  const readChildren = coalesced(async () => {
    try {
      const answer = await get<{ children: UnitFigures[] }>(
        `/units/${encodeURIComponent(unitId)}/children/attainment?date=${day}&limit=200&groups=true`,
      );
      children = answer.data.children;
      showChildren();
    } catch (error) {
      if (error instanceof ApiError && !error.signedOut)
        notice(view.querySelector('#children')!, describe(error), true);
    }
  });

  const render = () => {
    if (!unit || !schemes) return;
    const figures = shown();
    view.querySelector('#title')!.textContent = `${unit.name} — ${date(day)}`;
    const cards = view.querySelector('#cards')!;
    if (figures.length === 0) notice(cards, t.nothingYet);
    else showCards(cards, figures);
    showChildren();
    // The trends follow the cards: drawn for each scheme or group with a plan as it first
    // comes, then their days this year read again when its figures change (a snapshot comes
    // after every batch of the projections, most of them about other units); a trend whose
    // card went, or lost its plan, goes too.
    const planned = figures.filter((one) => one.plan);
    for (const [scheme, drawn] of trends) {
      if (planned.some((one) => one.scheme === scheme)) continue;
      trends.delete(scheme);
      trendFigures.delete(scheme);
      view.querySelector(`[data-trend="${CSS.escape(scheme)}"]`)?.remove();
      void drawn.then((trend) => {
        if (!trend) return;
        trend.chart.destroy();
        charts.splice(charts.indexOf(trend.chart), 1);
      });
    }
    for (const each of planned) {
      const drawn = trends.get(each.scheme);
      const drawnFrom = JSON.stringify(each);
      if (drawn) {
        if (trendFigures.get(each.scheme) !== drawnFrom) {
          trendFigures.set(each.scheme, drawnFrom);
          void drawn.then((trend) => trend?.refresh(each));
        }
        continue;
      }
      trendFigures.set(each.scheme, drawnFrom);
      const slot = document.createElement('div');
      slot.dataset.trend = each.scheme;
      view.querySelector('#trends')!.append(slot);
      const trend = trendChart(slot, unitId, each).then(
        (made) => {
          if (made) charts.push(made.chart);
          return made;
        },
        (error: Error) => {
          notice(slot, error.message, true);
          return undefined;
        },
      );
      trends.set(each.scheme, trend);
    }
  };
  // One feed for the page: every scheme, then the groups.
  const isGroup = (scheme: string) => (SCHEME_GROUPS as readonly string[]).includes(scheme);
  context.follow<UnitFigures>(
    `/feeds/units/${encodeURIComponent(unitId)}?date=${day}&groups=true`,
    'attainment',
    (answer) => {
      unit = answer.data.unit;
      schemes = answer.data.schemes.filter(({ scheme }) => !isGroup(scheme));
      for (const figures of answer.data.schemes)
        if (isGroup(figures.scheme)) groups.set(figures.scheme, figures);
      render();
      readChildren();
    },
  );
}
