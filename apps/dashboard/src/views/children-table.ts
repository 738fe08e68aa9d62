import { type SchemeFigures, statusOf } from '../forecast.js';
import { number, percent, text } from '../i18n.js';
import { type Cell, cellHtml } from '../take-away.js';
import { escape } from './shared.js';

type Unit = { unitId: string; name: string };
export type UnitFigures = { unit: Unit; schemes: SchemeFigures[] };

/** `name`, or a scheme's participants or its attainment: `voluntary-social-insurance:percent`. */
export type SortKey = string;

const MARK: Record<string, string> = { reached: '✓', onTrack: '✓', atRisk: '!', offTrack: '✗' };

function sortValue(row: UnitFigures, key: SortKey): number | string {
  if (key === 'name') return row.unit.name;
  const [scheme, what] = key.split(':');
  const figures = row.schemes.find((each) => each.scheme === scheme);
  if (!figures) return -Infinity;
  return what === 'percent' ? (figures.attainment?.percent ?? -Infinity) : figures.participants;
}

function figureCells(figures: SchemeFigures | undefined): string {
  const t = text();
  if (!figures) return '<td>—</td><td>—</td>';
  const status = statusOf(figures);
  const share: Cell = figures.attainment
    ? {
        text: `${MARK[status] ?? ''} ${percent(figures.attainment.percent)}`.trim(),
        value: figures.attainment.percent,
        className: `status-${status}`,
      }
    : { text: '—' };
  return `${cellHtml({ text: number(figures.participants), value: figures.participants })}${cellHtml(
    share,
  ).replace('<td', `<td title="${escape(t.statusLabel[status])}"`)}`;
}

/**
 * The units directly below, with each scheme's participants and attainment, sortable, and a
 * last row for what the unit holds that is not recorded at any unit below it (figures recorded
 * at city level would otherwise make every district read 0).
 */
export function childrenTable(
  parent: UnitFigures,
  children: UnitFigures[],
  sort: SortKey,
  date: string,
): string {
  const t = text();
  const schemes = parent.schemes
    .filter((figures) => figures.participants > 0 || figures.plan)
    .map(({ scheme }) => scheme);
  if (children.length === 0) return `<p class="empty">${t.noChildren}</p>`;
  const descending = sort !== 'name';
  const rows = [...children].sort((a, b) => {
    const [x, y] = [sortValue(a, sort), sortValue(b, sort)];
    const order =
      typeof x === 'string' ? x.localeCompare(String(y), 'vi') : (x as number) - (y as number);
    return descending ? -order : order;
  });
  const header = (key: SortKey, label: string) =>
    `<th scope="col" aria-sort="${key === sort ? (descending ? 'descending' : 'ascending') : 'none'}"><button type="button" data-sort="${key}">${escape(label)}</button></th>`;
  const unallocated = schemes.map((scheme) => {
    const total = parent.schemes.find((each) => each.scheme === scheme)?.participants ?? 0;
    const below = children.reduce(
      (sum, child) =>
        sum + (child.schemes.find((each) => each.scheme === scheme)?.participants ?? 0),
      0,
    );
    return total - below;
  });
  return `
    <div class="take-away"><button type="button" data-csv="children-table">${t.downloadCsv}</button></div>
    <table id="children-table">
      <thead>
        <tr>${header('name', t.unit)}${schemes
          .map(
            (scheme) =>
              `${header(scheme, `${t.schemes[scheme] ?? scheme}`)}${header(`${scheme}:percent`, `% ${t.plan.toLowerCase()}`)}`,
          )
          .join('')}</tr>
      </thead>
      <tbody>${rows
        .map(
          ({ unit, schemes: figures }) => `
          <tr data-unit="${escape(unit.unitId)}">
            <td><a href="#/overview?unit=${encodeURIComponent(unit.unitId)}&date=${date}">${escape(unit.name)}</a></td>
            ${schemes.map((scheme) => figureCells(figures.find((each) => each.scheme === scheme))).join('')}
          </tr>`,
        )
        .join('')}</tbody>
      ${
        unallocated.some((value) => value !== 0)
          ? `<tfoot><tr data-unit="not-allocated"><th scope="row">${t.notAllocated}</th>${unallocated
              .map((value) => `${cellHtml({ text: number(value), value })}<td></td>`)
              .join('')}</tr></tfoot>`
          : ''
      }
    </table>`;
}
