import { forgetToken, setToken } from './api.js';
import { escape } from './views/shared.js';
import { text } from './i18n.js';

/**
 * The sign-in form: a pasted bearer token. `message` says why it shows (the token expired, was
 * refused, or the user signed out); the address keeps the view, so signing in returns to it.
 */
export function signIn(view: HTMLElement, message: string | undefined, signedIn: () => void): void {
  const t = text();
  forgetToken();
  view.innerHTML = `
    <form class="login">
      ${message ? `<p class="problem" role="alert">${escape(message)}</p>` : ''}
      <label for="token">${t.signIn}</label>
      <textarea id="token" name="token" required></textarea>
      <button>${t.save}</button>
    </form>`;
  view.querySelector('form')!.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(String(new FormData(event.target as HTMLFormElement).get('token')));
    signedIn();
  });
}
