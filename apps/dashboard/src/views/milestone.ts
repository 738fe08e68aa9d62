import { type ReadAnswer, follow } from '../api.js';
import { date, number, percent, text } from '../i18n.js';
import { escape, today } from './shared.js';

type Standing = {
  required: number;
  fulfilled: number;
  onTime: number;
  late: number;
  pending: number;
  waived: number;
};
type Compliance = {
  milestone: { milestoneId: string; name: string; deadline: string };
  daysRemaining: number;
  deadlinePassed: boolean;
  now: Standing;
  atDeadline: Standing;
  projection: {
    complete: boolean;
    projectedCompletionOn: string | null;
    afterDeadline: boolean | null;
  };
  laggards: { units: { unit: { name: string }; parentName: string | null }[]; total: number };
};

/** Milestone tracker: fulfilled, late, pending, the countdown, laggards and the forecast, live. */
export function milestone(
  view: HTMLElement,
  params: URLSearchParams,
  report: (answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting') => void,
): () => void {
  const t = text();
  const milestoneId = params.get('id') ?? '';
  const asOf = params.get('asOf') ?? today();
  view.innerHTML = `
    <form class="controls">
      <label>${t.milestone}<input name="id" value="${escape(milestoneId)}" required /></label>
      <label>${t.date}<input name="asOf" type="date" value="${escape(asOf)}" required /></label>
      <button>${t.show}</button>
    </form>
    <h1 id="title"></h1>
    <section class="cards" id="standing"></section>
    <h2>${t.laggards}</h2>
    <table id="laggards"></table>`;
  view.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    location.hash = `#/milestone?id=${encodeURIComponent(String(form.get('id')))}&asOf=${form.get('asOf')}`;
  });
  const render = (answer: ReadAnswer<Compliance>) => {
    const compliance = answer.data;
    const { now, projection } = compliance;
    view.querySelector('#title')!.textContent =
      `${compliance.milestone.name} — ${t.deadline} ${date(compliance.milestone.deadline)}`;
    const share =
      now.required > 0 ? percent(Math.round((now.fulfilled * 10_000) / now.required) / 100) : '—';
    const forecast = projection.complete
      ? t.complete
      : projection.projectedCompletionOn
        ? `${date(projection.projectedCompletionOn)}${projection.afterDeadline ? ` (${t.afterDeadline})` : ''}`
        : '—';
    view.querySelector('#standing')!.innerHTML = `
      <article class="card">
        <h2>${t.fulfilled}</h2>
        <div class="figure" data-figure="fulfilled">${number(now.fulfilled)} / ${number(now.required)}</div>
        <div class="percent${now.pending > 0 && compliance.deadlinePassed ? ' low' : ''}">${share}</div>
        <dl>
          <dt>${t.onTime}</dt><dd data-figure="on-time">${number(now.onTime)}</dd>
          <dt>${t.late}</dt><dd data-figure="late">${number(now.late)}</dd>
          <dt>${t.pending}</dt><dd data-figure="pending">${number(now.pending)}</dd>
          <dt>${t.waived}</dt><dd>${number(now.waived)}</dd>
          <dt>${t.daysRemaining}</dt><dd>${compliance.deadlinePassed ? t.deadlinePassed : number(compliance.daysRemaining)}</dd>
          <dt>${t.forecast}</dt><dd data-figure="forecast" class="${projection.afterDeadline ? 'error' : ''}">${forecast}</dd>
        </dl>
      </article>`;
    view.querySelector('#laggards')!.innerHTML = compliance.laggards.units
      .map(
        ({ unit, parentName }) =>
          `<tr><td>${escape(unit.name)}</td><td>${escape(parentName ?? '')}</td></tr>`,
      )
      .join('');
    report(answer);
  };
  return follow<Compliance>(
    `/feeds/milestones/${encodeURIComponent(milestoneId)}?asOf=${asOf}`,
    'milestone-compliance',
    render,
    (state) => report({ data: null, position: 0, head: 0, lag: 0 }, state),
  );
}
