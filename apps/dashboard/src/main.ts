import { type ReadAnswer, onSignedOut, setToken, token } from './api.js';
import { navigation, viewHref } from './choices.js';
import { type FeedState, follow } from './feed.js';
import { type Language, clock, language, setLanguage, text, time } from './i18n.js';
import { signIn } from './session.js';
import { alerts } from './views/alerts.js';
import { campaign } from './views/campaign.js';
import { milestone } from './views/milestone.js';
import { overview } from './views/overview.js';
import { performance } from './views/performance.js';
import { published } from './views/published.js';
import { type View, type ViewContext, describe, notice } from './views/shared.js';
import { listenForTakeAway } from './take-away.js';

const views: Record<string, View> = {
  overview,
  campaign,
  milestone,
  performance,
  published,
  alerts,
};

const view = document.getElementById('view')!;
const freshness = document.getElementById('freshness')!;
const signOut = document.getElementById('sign-out')!;
const leave: (() => void)[] = [];
/** When the figures on the page were last current: the stale banner says so. */
let currentAt: Date | undefined;
let signInMessage: string | undefined;

function showFresh(answer: ReadAnswer<unknown>): void {
  const t = text();
  currentAt = new Date();
  freshness.dataset.position = String(answer.position);
  freshness.dataset.state = 'live';
  freshness.classList.toggle('behind', answer.lag > 0);
  freshness.textContent = `${t.updated} ${time(currentAt)} · ${t.live}${answer.lag > 0 ? ` · ${t.behind} ${answer.lag} ${t.positions}` : ''}`;
}

function showState(state: FeedState): void {
  const t = text();
  if (state.kind === 'live') return;
  if (state.kind === 'stale') {
    freshness.dataset.state = 'stale';
    freshness.classList.add('behind');
    freshness.textContent = currentAt ? t.staleSince(clock(currentAt)) : t.connecting;
    return;
  }
  freshness.dataset.state = 'refused';
  freshness.textContent = '';
  if (state.error.signedOut) return; // onSignedOut shows the sign-in form.
  const problem = view.querySelector('[data-problem]');
  if (problem) notice(problem, describe(state.error), true);
}

function route(): void {
  leave.splice(0).forEach((cleanup) => cleanup());
  const t = text();
  document.documentElement.lang = language();
  document.getElementById('language')!.textContent = t.other;
  signOut.textContent = t.signOut;
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const name = path in views ? path : 'overview';
  const hrefs = navigation();
  document.getElementById('nav')!.innerHTML = (
    ['overview', 'campaign', 'milestone', 'performance', 'published', 'alerts'] as const
  )
    .map(
      (each) =>
        `<a href="${hrefs[each]}"${each === name ? ' aria-current="page"' : ''}>${t[each]}</a>`,
    )
    .join('');
  if (!token()) {
    signOut.hidden = true;
    freshness.textContent = '';
    signIn(view, signInMessage, () => {
      signInMessage = undefined;
      route();
    });
    return;
  }
  signOut.hidden = false;
  currentAt = undefined;
  freshness.textContent = '';
  let left = false;
  const context: ViewContext = {
    element: view,
    params: new URLSearchParams(query),
    follow: (feedPath, type, render) => {
      leave.push(
        follow(
          feedPath,
          type,
          (answer) => {
            render(answer as never);
            showFresh(answer);
          },
          showState,
        ),
      );
    },
    onLeave: (cleanup) => leave.push(cleanup),
    show: (params, replace = false) => {
      if (left) return;
      const href = viewHref(name, params);
      if (replace) {
        history.replaceState(null, '', href);
        route();
      } else location.hash = href;
    },
  };
  leave.push(() => (left = true));
  void views[name](context);
}

onSignedOut((error) => {
  const t = text();
  signInMessage = error.status === 403 ? t.notPermitted : t.sessionEnded;
  leave.splice(0).forEach((cleanup) => cleanup());
  localStorage.removeItem('token');
  route();
});

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
signOut.addEventListener('click', () => {
  signInMessage = text().signedOut;
  localStorage.removeItem('token');
  route();
});
listenForTakeAway();
window.addEventListener('hashchange', route);
route();
