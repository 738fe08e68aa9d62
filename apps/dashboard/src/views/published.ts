import { ApiError, type ReadAnswer, get } from '../api.js';
import { backoffMs } from '../feed.js';
import { date, number, percent, signed, text } from '../i18n.js';
import { unitById } from '../pickers.js';
import { type Cell, type Table, tableHtml, viewTools } from '../take-away.js';
import { type ViewContext, describe, escape, notice, vietnamDay } from './shared.js';

type Correction = { type: string; actor: string; recordedAt: string; businessDate: string };
type PublishedFigure = {
  publicationId: string;
  publishedIn: string;
  publishedAt: string;
  publishedBy: string;
  unitId: string;
  scheme: string;
  measure: string;
  date: string;
  published: number;
  atPublication: { value: number | null; basis: string };
  now: number | null;
  difference: number | null;
  noLongerTrue: boolean;
  changedSincePublication: boolean;
  corrections: Correction[];
  moreCorrections: boolean;
};
type PublishedFigures = { figures: PublishedFigure[]; total: number };

/** Shares are published in basis points (7284 = 72,84%); changes with their sign. */
const SHARES = new Set(['attainment', 'coverage']);

function valueText(measure: string, value: number | null, difference = false): string {
  if (value === null) return '—';
  if (SHARES.has(measure)) {
    const shown = percent(value / 100);
    return difference && value > 0 ? `+${shown}` : shown;
  }
  return difference || measure.startsWith('change-') ? signed(value) : number(value);
}

const valueCell = (measure: string, value: number | null, difference = false): Cell | string =>
  value === null ? '—' : { text: valueText(measure, value, difference), value };

/** The day of an instant in Vietnam, 04/10/2024. */
const dayOf = (instant: string) => date(vietnamDay(Date.parse(instant)));

function figuresTable(figures: PublishedFigure[], names: Map<string, string>): Table {
  const t = text();
  return {
    headers: [
      t.publication,
      t.unit,
      t.figure,
      t.publishedValue,
      t.atPublication,
      t.nowValue,
      t.difference,
      t.truth,
      t.corrections,
    ],
    rows: figures.map((figure) => [
      `${figure.publishedIn} (${figure.publishedBy}, ${dayOf(figure.publishedAt)})`,
      names.get(figure.unitId) ?? figure.unitId,
      `${t.measures[figure.measure] ?? figure.measure} — ${t.schemes[figure.scheme] ?? figure.scheme} — ${date(figure.date)}`,
      valueCell(figure.measure, figure.published),
      valueCell(figure.measure, figure.atPublication.value),
      valueCell(figure.measure, figure.now),
      valueCell(figure.measure, figure.difference, true),
      figure.noLongerTrue
        ? { text: `✗ ${t.noLongerTrue}`, className: 'status-offTrack' }
        : { text: `✓ ${t.stillTrue}`, className: 'status-reached' },
      [
        ...figure.corrections.map(
          (correction) =>
            `${correction.type}, ${t.recordedBy} ${correction.actor}, ${dayOf(correction.recordedAt)}`,
        ),
        ...(figure.moreCorrections ? [t.moreCorrections] : []),
      ].join('; ') || '—',
    ]),
  };
}

/**
 * A comparison may need a known-at snapshot still being built (503), or the service may be
 * restarting: asked again with the feeds' backoff while the view is open; refusals are final.
 */
async function readAgainWhileTransient(
  path: string,
  container: Element,
): Promise<ReadAnswer<PublishedFigures>> {
  for (let failures = 1; ; failures++) {
    try {
      return await get<PublishedFigures>(path, false);
    } catch (error) {
      if (!(error instanceof ApiError) || !error.transient || !container.isConnected) throw error;
      if (failures === 1) notice(container, text().connecting);
      await new Promise((resolve) => setTimeout(resolve, backoffMs(failures)));
    }
  }
}

/**
 * Published figures against the service's (auditors' and admins' read): what a report stated,
 * the figure as known then and now, the difference, and the corrections since, with who
 * recorded them; filtered by publication and to those no longer true.
 */
export async function published(context: ViewContext): Promise<void> {
  const t = text();
  const view = context.element;
  const publication = context.params.get('publication') ?? '';
  const onlyChanged = context.params.get('noLongerTrue') === '1';
  view.innerHTML = `
    <form class="controls">
      <label>${t.publication}<select name="publication"><option value="">${t.allPublications}</option></select></label>
      <label class="check"><input type="checkbox" name="noLongerTrue" value="1"${onlyChanged ? ' checked' : ''} /> ${t.onlyNoLongerTrue}</label>
    </form>
    ${viewTools()}
    <h1 id="title">${t.published}</h1>
    <div data-problem></div>
    <div id="published-figures"></div>`;
  const form = view.querySelector('form')!;
  form.addEventListener('change', () => {
    const values = new FormData(form);
    context.show({
      publication: String(values.get('publication') ?? ''),
      noLongerTrue: values.get('noLongerTrue') ? '1' : undefined,
    });
  });
  const query = new URLSearchParams({ limit: '200' });
  if (publication) query.set('publicationId', publication);
  if (onlyChanged) query.set('noLongerTrue', 'true');
  const container = view.querySelector('#published-figures')!;
  try {
    const read = (path: string) => readAgainWhileTransient(path, container);
    const [answer, all] = await Promise.all([
      read(`/published-figures?${query}`),
      publication || onlyChanged ? read('/published-figures?limit=200') : undefined,
    ]);
    const figures = answer.data.figures;
    const publications = new Map(
      (all ?? answer).data.figures.map((figure) => [figure.publicationId, figure.publishedIn]),
    );
    if (publication && !publications.has(publication)) publications.set(publication, publication);
    form.querySelector('select')!.innerHTML = `<option value="">${t.allPublications}</option>${[
      ...publications,
    ]
      .map(
        ([id, name]) =>
          `<option value="${escape(id)}"${id === publication ? ' selected' : ''}>${escape(name)}</option>`,
      )
      .join('')}`;
    if (figures.length === 0)
      return notice(container, onlyChanged ? t.noneNoLongerTrue : t.noPublished);
    const unitIds = [...new Set(figures.map((figure) => figure.unitId))];
    const names = new Map(
      (await Promise.all(unitIds.map((id) => unitById(id).catch(() => null)))).flatMap((unit) =>
        unit ? [[unit.unitId, unit.name] as const] : [],
      ),
    );
    container.innerHTML = `
      <p class="summary" data-figure="total">${number(answer.data.total)} ${t.figure.toLowerCase()}</p>
      <div class="take-away"><button type="button" data-csv="published-table">${t.downloadCsv}</button></div>
      <div class="table-scroll stacked">${tableHtml('published-table', figuresTable(figures, names))}</div>`;
    // Each cell names its column, for the phone layout that stacks a row's cells.
    const table = container.querySelector('table')!;
    const headers = [...table.tHead!.rows[0].cells].map((cell) => cell.textContent ?? '');
    for (const row of table.tBodies[0].rows)
      [...row.cells].forEach((cell, index) => (cell.dataset.label = headers[index]));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 403) return notice(container, t.auditorsOnly, true);
    if (!error.signedOut) notice(container, describe(error), true);
  }
}
