import { get } from '../api.js';
import { type Choices, choices } from '../choices.js';
import { text } from '../i18n.js';
import { listPicker } from '../pickers.js';
import { type ViewContext, escape, notice } from './shared.js';

export type Subject = { value: string; label: string };

/**
 * The campaign, milestone or organization a view shows: the one in the address, else the last
 * one chosen, else the preferred one, else the first the API lists. With none listed, an empty-state message, and no
 * feed to poll for a subject that does not exist.
 */
export function chooseSubject(
  context: ViewContext,
  options: {
    param: string;
    kept: keyof Choices;
    list: Subject[];
    empty: string;
    /** The day or month parameter and its value when the address has none. */
    period: [name: string, fallback: string];
    /** The subject to open on when nothing was chosen yet, e.g. an agent's organization. */
    preferred?: string;
  },
): boolean {
  const given = context.params.get(options.param);
  const [periodName, fallback] = options.period;
  const period = context.params.get(periodName);
  if (given && period) return true;
  const listed = (value: string | undefined) =>
    options.list.some((subject) => subject.value === value) ? value : undefined;
  const chosen =
    given ?? listed(choices()[options.kept]) ?? listed(options.preferred) ?? options.list[0]?.value;
  if (!chosen) {
    notice(context.element, options.empty);
    return false;
  }
  context.show({ [options.param]: chosen, [periodName]: period ?? fallback }, true);
  return false;
}

/** The controls of a view with a subject and a day or month; submitting opens that state. */
export function subjectControls(
  context: ViewContext,
  subject: { label: string; param: string; list: Subject[]; current: string },
  period: { label: string; param: string; type: 'date' | 'month'; current: string },
): void {
  const t = text();
  const form = document.createElement('form');
  form.className = 'controls';
  form.innerHTML = `
    ${listPicker(subject.label, subject.param, subject.list, subject.current)}
    <label>${period.label}<input name="${period.param}" type="${period.type}" value="${escape(period.current)}" required /></label>
    <button>${t.show}</button>`;
  const open = () => {
    const values = new FormData(form);
    context.show({
      [subject.param]: String(values.get(subject.param)),
      [period.param]: String(values.get(period.param)),
    });
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    open();
  });
  form.querySelector('select')!.addEventListener('change', open);
  context.element.prepend(form);
}

export async function listed<T>(path: string, key: string, subject: (item: T) => Subject) {
  const answer = await get<Record<string, T[]>>(path);
  return answer.data[key].map(subject);
}
