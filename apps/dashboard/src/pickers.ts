import { ApiError, get } from './api.js';
import { text } from './i18n.js';
import { escape } from './views/shared.js';

export type UnitCrumb = { unitId: string; name: string };
export type FoundUnit = UnitCrumb & {
  level: string;
  path: UnitCrumb[];
  latestDataOn: string | null;
};

export async function searchUnits(name: string, limit = 10): Promise<FoundUnit[]> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (name) query.set('name', name);
  return (await get<{ units: FoundUnit[] }>(`/units?${query}`)).data.units;
}

/** The unit itself, found by its id, with the units above it; null when there is none. */
export async function unitById(unitId: string): Promise<FoundUnit | null> {
  const [first] = await searchUnits(unitId, 1);
  return first?.unitId === unitId ? first : null;
}

export const breadcrumb = (unit: FoundUnit) =>
  [...unit.path.map(({ name }) => name), unit.name].join(' › ');

/**
 * A search box for units by name: as the user types, matching units show with the units above
 * them ("Hải Phòng › Lê Chân › Dư Hàng"); picking one calls `choose`.
 */
export function unitPicker(
  container: HTMLElement,
  current: string,
  choose: (unit: FoundUnit) => void,
): void {
  const t = text();
  container.innerHTML = `
    <label>${t.unit}
      <input name="unit-search" type="search" autocomplete="off" role="combobox"
        aria-autocomplete="list" aria-expanded="false" aria-controls="unit-options"
        placeholder="${escape(t.searchUnit)}" value="${escape(current)}" />
    </label>
    <ul id="unit-options" class="options" role="listbox" hidden></ul>`;
  const input = container.querySelector('input')!;
  const list = container.querySelector('ul')!;
  let found: FoundUnit[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  /** The option the arrow keys are on; -1 before any: Enter then takes the first. */
  let active = -1;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const highlight = (index: number) => {
    active = index;
    list.querySelectorAll('[role="option"]').forEach((option, each) => {
      option.setAttribute('aria-selected', String(each === index));
      if (each === index) option.scrollIntoView({ block: 'nearest' });
    });
    input.setAttribute('aria-activedescendant', `unit-option-${index}`);
  };
  const show = async () => {
    const question = ++asked;
    try {
      const units = await searchUnits(input.value.trim());
      if (question !== asked) return;
      found = units;
      active = -1;
      input.removeAttribute('aria-activedescendant');
      list.innerHTML = units.length
        ? units
            .map(
              (unit, index) =>
                `<li role="option" id="unit-option-${index}" data-index="${index}" aria-selected="false"><strong>${escape(unit.name)}</strong>${
                  unit.path.length
                    ? `<small>${escape(unit.path.map(({ name }) => name).join(' › '))}</small>`
                    : ''
                }</li>`,
            )
            .join('')
        : `<li class="empty">${escape(t.noMatch)}</li>`;
    } catch (error) {
      if (!(error instanceof ApiError) || question !== asked) return;
      list.innerHTML = `<li class="problem">${escape(error.message)}</li>`;
    }
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(show, 200);
  });
  input.addEventListener('focus', () => input.select());
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = found[Math.max(active, 0)];
      if (chosen) choose(chosen);
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (found.length === 0) return;
      if (list.hidden) {
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      highlight((active + step + found.length) % found.length);
    } else if (event.key === 'Escape') close();
  });
  list.addEventListener('click', (event) => {
    const option = (event.target as Element).closest<HTMLElement>('[data-index]');
    if (option) choose(found[Number(option.dataset.index)]);
  });
}

/** A drop-down of what the API lists (campaigns, milestones, organizations). */
export function listPicker(
  label: string,
  name: string,
  options: { value: string; label: string }[],
  current: string,
): string {
  const t = text();
  const known = options.some(({ value }) => value === current);
  return `
    <label>${escape(label)}
      <select name="${name}">
        ${known ? '' : `<option value="${escape(current)}">${escape(current || t.choose)}</option>`}
        ${options
          .map(
            ({ value, label: shown }) =>
              `<option value="${escape(value)}"${value === current ? ' selected' : ''}>${escape(shown)}</option>`,
          )
          .join('')}
      </select>
    </label>`;
}
