import { get } from '../api.js';
import { choices, remember } from '../choices.js';
import { date, number, percent, text } from '../i18n.js';
import { tableHtml, viewTools } from '../take-away.js';
import { type ViewContext, escape, notice, today } from './shared.js';
import { chooseSubject, listed, subjectControls } from './subject.js';

type Standing = {
  required: number;
  fulfilled: number;
  onTime: number;
  late: number;
  pending: number;
  waived: number;
};
type UnitStatus = 'on-time' | 'late' | 'waived' | 'pending';
type RequiredUnit = {
  unit: { unitId: string; name: string };
  parent: { unitId: string; name: string } | null;
  status: UnitStatus;
  on: string | null;
};

const MARKS: Record<UnitStatus, string> = { 'on-time': '✓', late: '✓', waived: '–', pending: '✗' };
type Compliance = {
  milestone: { milestoneId: string; name: string; deadline: string };
  daysRemaining: number;
  deadlinePassed: boolean;
  now: Standing;
  projection: {
    complete: boolean;
    projectedCompletionOn: string | null;
    afterDeadline: boolean | null;
  };
};

/** Milestone tracker, live: the counts, the countdown, the forecast, and every required unit with its status and date, by district. */
export async function milestone(context: ViewContext): Promise<void> {
  const t = text();
  const list = await listed<{ milestoneId: string; name: string; deadline: string }>(
    '/milestones?limit=200',
    'milestones',
    (item) => ({
      value: item.milestoneId,
      label: `${item.name} (${t.deadline} ${date(item.deadline)})`,
    }),
  ).catch(() => []);
  if (
    !chooseSubject(context, {
      param: 'id',
      kept: 'milestone',
      list,
      empty: t.noMilestones,
      period: ['asOf', choices().date ?? today()],
    })
  )
    return;
  const milestoneId = context.params.get('id')!;
  const asOf = context.params.get('asOf')!;
  let district = context.params.get('district') ?? '';
  remember({ milestone: milestoneId, date: asOf });
  const view = context.element;
  view.innerHTML = `
    ${viewTools()}
    <h1 id="title">${escape(milestoneId)}</h1>
    <div data-problem></div>
    <section class="cards" id="standing"></section>
    <h2>${t.requiredUnits}</h2>
    <div class="controls"><label>${t.district}<select name="district"></select></label>
      <button type="button" data-csv="required-units">${t.downloadCsv}</button></div>
    <div id="unit-list"></div>`;
  subjectControls(
    context,
    { label: t.milestone, param: 'id', list, current: milestoneId },
    { label: t.date, param: 'asOf', type: 'date', current: asOf },
  );
  let latest: Compliance | undefined;
  let required: RequiredUnit[] = [];
  const select = view.querySelector<HTMLSelectElement>('select[name="district"]')!;
  const showUnits = () => {
    if (!latest) return;
    const districts = [...new Set(required.map(({ parent }) => parent?.name ?? ''))].sort((a, b) =>
      a.localeCompare(b, 'vi'),
    );
    select.innerHTML = [
      `<option value="">${t.allDistricts}</option>`,
      ...districts.map(
        (name) => `<option${name === district ? ' selected' : ''}>${escape(name)}</option>`,
      ),
    ].join('');
    const shown = required.filter(({ parent }) => !district || parent?.name === district);
    const container = view.querySelector('#unit-list')!;
    if (required.length === 0) return notice(container, t.noRequiredUnits);
    if (shown.length === 0) return notice(container, t.noMatch);
    const overdue = latest.deadlinePassed;
    container.innerHTML = tableHtml('required-units', {
      headers: [t.unit, t.district, t.statusColumn, t.fulfilledOn],
      rows: shown.map(({ unit, parent, status, on }) => [
        unit.name,
        parent?.name ?? '',
        {
          text: `${MARKS[status]} ${t.unitStatus[status]}${status === 'pending' && overdue ? ` (${t.deadlinePassed})` : ''}`,
          className: `status-${status === 'pending' ? (overdue ? 'offTrack' : 'atRisk') : 'onTrack'}`,
        },
        on ? { text: date(on), value: on } : '—',
      ]),
    });
  };
  select.addEventListener('change', () => {
    district = select.value;
    history.replaceState(
      null,
      '',
      `#/milestone?id=${encodeURIComponent(milestoneId)}&asOf=${asOf}${district ? `&district=${encodeURIComponent(district)}` : ''}`,
    );
    showUnits();
  });
  // Each snapshot of the compliance feed says something changed: the list is read again.
  const readUnits = () =>
    get<{ units: RequiredUnit[] }>(
      `/milestones/${encodeURIComponent(milestoneId)}/units?asOf=${asOf}&limit=200`,
    ).then(
      (answer) => {
        required = answer.data.units;
        showUnits();
      },
      () => undefined,
    );
  context.follow<Compliance>(
    `/feeds/milestones/${encodeURIComponent(milestoneId)}?asOf=${asOf}`,
    'milestone-compliance',
    (answer) => {
      latest = answer.data;
      const { now, projection, milestone: subject } = latest;
      view.querySelector('#title')!.textContent =
        `${subject.name} — ${t.deadline} ${date(subject.deadline)}`;
      const share =
        now.required > 0 ? percent(Math.round((now.fulfilled * 10_000) / now.required) / 100) : '—';
      const done = now.pending === 0;
      const forecast = projection.complete
        ? t.complete
        : projection.projectedCompletionOn
          ? `${date(projection.projectedCompletionOn)}${projection.afterDeadline ? ` (${t.afterDeadline})` : ''}`
          : '—';
      const status = done
        ? 'reached'
        : latest.deadlinePassed || projection.afterDeadline
          ? 'offTrack'
          : 'onTrack';
      view.querySelector('#standing')!.innerHTML = `
        <article class="card status-${status}">
          <h2>${t.fulfilled}</h2>
          <div class="figure" data-figure="fulfilled">${number(now.fulfilled)} / ${number(now.required)}</div>
          <div class="percent${status === 'offTrack' ? ' low' : ''}" data-status="${status}">${share}</div>
          <dl>
            <dt>${t.onTime}</dt><dd data-figure="on-time">${number(now.onTime)}</dd>
            <dt>${t.late}</dt><dd data-figure="late">${number(now.late)}</dd>
            <dt>${t.pending}</dt><dd data-figure="pending">${number(now.pending)}</dd>
            <dt>${t.waived}</dt><dd>${number(now.waived)}</dd>
            <dt>${t.daysRemaining}</dt><dd>${latest.deadlinePassed ? t.deadlinePassed : number(latest.daysRemaining)}</dd>
            <dt>${t.forecast}</dt><dd data-figure="forecast" class="${projection.afterDeadline ? 'error' : ''}">${forecast}</dd>
          </dl>
        </article>`;
      void readUnits();
    },
  );
}
