import { type ReadAnswer, setToken, token } from './api.js';
import { type Language, language, setLanguage, text, time } from './i18n.js';
import { campaign } from './views/campaign.js';
import { milestone } from './views/milestone.js';
import { overview } from './views/overview.js';
import { performance } from './views/performance.js';

type View = (
  element: HTMLElement,
  params: URLSearchParams,
  report: (answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting') => void,
) => () => void;

const views: Record<string, View> = { overview, campaign, milestone, performance };

const view = document.getElementById('view')!;
const freshness = document.getElementById('freshness')!;
let leave: (() => void) | undefined;

/** Shows when the page last changed and how far its read model is behind the log. */
function report(answer: ReadAnswer<unknown>, state?: 'live' | 'reconnecting'): void {
  const t = text();
  if (state === 'reconnecting') {
    freshness.textContent = t.reconnecting;
    freshness.classList.add('behind');
    return;
  }
  if (answer.data === null) return;
  freshness.dataset.position = String(answer.position);
  freshness.classList.toggle('behind', answer.lag > 0);
  freshness.textContent = `${t.updated} ${time(new Date())} · ${t.live}${answer.lag > 0 ? ` · ${t.behind} ${answer.lag} ${t.positions}` : ''}`;
}

function route(): void {
  leave?.();
  const t = text();
  document.documentElement.lang = language();
  document.getElementById('language')!.textContent = t.other;
  document.getElementById('nav')!.innerHTML =
    `<a href="#/overview">${t.overview}</a><a href="#/campaign">${t.campaign}</a><a href="#/milestone">${t.milestone}</a><a href="#/performance">${t.performance}</a>`;
  if (!token()) {
    view.innerHTML = `
      <form class="login"><p>${t.signIn}</p><textarea name="token" required></textarea><button>${t.save}</button></form>`;
    view.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      setToken(String(new FormData(event.target as HTMLFormElement).get('token')));
      route();
    });
    return;
  }
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const show = views[path] ?? overview;
  leave = show(view, new URLSearchParams(query), report);
}

// A token in the URL (?token=...) is stored, then removed from the address bar.
const given = new URLSearchParams(location.search).get('token');
if (given) {
  setToken(given);
  history.replaceState(null, '', location.pathname + location.hash);
}
document.getElementById('language')!.addEventListener('click', () => {
  setLanguage((language() === 'vi' ? 'en' : 'vi') as Language);
  route();
});
window.addEventListener('hashchange', route);
route();
