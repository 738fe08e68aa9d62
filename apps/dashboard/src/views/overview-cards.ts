import {
  type Change,
  type SchemeFigures,
  type Status,
  comparable,
  statusOf,
  yearEndForecast,
} from '../forecast.js';
import { number, percent, signed, text } from '../i18n.js';
import { escape } from './shared.js';

const MARKS: Record<Status, string> = {
  reached: '✓',
  onTrack: '✓',
  atRisk: '!',
  offTrack: '✗',
  noPlan: '–',
};

/** The status in words and a mark, so that it does not rest on colour alone. */
export function statusBadge(status: Status): string {
  return `<span class="status ${status}" data-status="${status}"><span aria-hidden="true">${MARKS[status]}</span> ${text().statusLabel[status]}</span>`;
}

const orDash = (value: number | null, format: (value: number) => string) =>
  value === null ? '—' : format(value);

/** "+128 (0,35%)": the change and its share of the figure then; "—" without a figure then. */
export function changeText(change: Change): string {
  const value = comparable(change);
  if (value === null) return '—';
  return change.percent === null ? signed(value) : `${signed(value)} (${percent(change.percent)})`;
}

/** A group's members in words: "BHXH bắt buộc + BHXH tự nguyện". */
export function membersText(figures: SchemeFigures): string {
  const t = text();
  return (figures.members ?? []).map((member) => t.schemes[member] ?? member).join(' + ');
}

/** One scheme: where it stands, where the current pace leads by year end, and why. */
export function schemeCard(figures: SchemeFigures): string {
  const t = text();
  const status = statusOf(figures);
  const forecast = yearEndForecast(figures);
  const target = figures.plan?.target;
  const coverageTarget = figures.coverageAttainment?.targetPercent;
  const group = (figures.members?.length ?? 1) > 1;
  return `
    <article class="card status-${status}${group ? ' group' : ''}" data-scheme="${figures.scheme}">
      <h2>${escape(t.schemes[figures.scheme] ?? figures.scheme)}</h2>
      ${group ? `<p class="members" data-figure="members">= ${escape(membersText(figures))}</p>` : ''}
      ${statusBadge(status)}
      <div class="figure" data-figure="participants">${number(figures.participants)}</div>
      <div class="percent${status === 'noPlan' ? ' none' : ''}" data-figure="attainment">${
        figures.attainment
          ? `${percent(figures.attainment.percent)} ${t.plan.toLowerCase()}`
          : figures.coverageAttainment
            ? `${percent(figures.coverageAttainment.percent)} ${t.coverageTarget.toLowerCase()}`
            : t.noPlan
      }</div>
      <dl>
        <dt>${t.plan}</dt><dd>${target === undefined ? '—' : number(target)}</dd>
        <dt>${t.yearEndForecast}</dt><dd data-figure="forecast">${
          forecast === null || !target
            ? '—'
            : `${number(forecast)} (${percent(Math.round((forecast * 10_000) / target) / 100)})`
        }</dd>
        <dt>${t.requiredPerDay}</dt><dd data-figure="required">${orDash(figures.runRate.requiredPerDay, (value) => number(value, 1))}</dd>
        <dt>${t.observedPerDay}</dt><dd data-figure="observed">${number(figures.runRate.last30DaysPerDay, 1)}</dd>
        <dt>${t.sincePreviousMonth}</dt><dd data-figure="since-previous-month">${changeText(figures.changeSincePreviousMonth)}</dd>
        <dt>${t.sinceDecember}</dt><dd data-figure="since-december">${orDash(comparable(figures.changeSinceDecember), signed)}</dd>
        <dt>${t.yearOnYear}</dt><dd data-figure="year-on-year">${orDash(comparable(figures.changeYearOnYear), signed)}</dd>
        <dt>${t.coverage}</dt><dd>${figures.coverage ? `${percent(figures.coverage.percent)} (${figures.coverage.year})` : '—'}</dd>
        <dt>${t.coverageTarget}</dt><dd data-figure="coverage-target">${coverageTarget === undefined ? '—' : percent(coverageTarget)}</dd>
        <dt>${t.remaining}</dt><dd>${orDash(figures.remainingToPlan, number)}</dd>
      </dl>
    </article>`;
}
