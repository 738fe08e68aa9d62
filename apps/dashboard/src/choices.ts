/**
 * What the user last looked at, kept in the browser so that the dashboard reopens there and
 * switching views keeps the unit and the date.
 */
export type Choices = {
  unit?: string;
  date?: string;
  campaign?: string;
  milestone?: string;
  organization?: string;
  month?: string;
};

const KEY = 'choices';

export function choices(): Choices {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Choices;
  } catch {
    return {};
  }
}

export function remember(chosen: Choices): void {
  const kept = { ...choices() };
  for (const [name, value] of Object.entries(chosen)) {
    if (value) kept[name as keyof Choices] = value;
  }
  localStorage.setItem(KEY, JSON.stringify(kept));
}

/** A view's address: `#/overview?unit=HP&date=2024-09-30`, leaving out empty parameters. */
export function viewHref(view: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(
    Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** Each view's address with the remembered unit, date and subject. */
export function navigation(): Record<string, string> {
  const kept = choices();
  return {
    overview: viewHref('overview', { unit: kept.unit, date: kept.date }),
    campaign: viewHref('campaign', { id: kept.campaign, asOf: kept.date }),
    milestone: viewHref('milestone', { id: kept.milestone, asOf: kept.date }),
    performance: viewHref('performance', {
      organization: kept.organization,
      month: kept.month ?? kept.date?.slice(0, 7),
    }),
    published: viewHref('published', {}),
    alerts: viewHref('alerts', {}),
  };
}
