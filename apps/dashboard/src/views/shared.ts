import { type ApiError, type ReadAnswer } from '../api.js';
import { text } from '../i18n.js';

export const escape = (value: string) =>
  value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The day of an instant (epoch milliseconds) in Vietnam, YYYY-MM-DD. */
export const vietnamDay = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 10);

/** Today in Vietnam, YYYY-MM-DD. */
export const today = () => vietnamDay(Date.now());

/** What a view gets from the page around it. */
export type ViewContext = {
  element: HTMLElement;
  params: URLSearchParams;
  /**
   * Follows a change feed: the page shows how fresh it is, reconnects after failures, asks to
   * sign in again when the token is refused, and shows a refusal (404, 400) in the view's
   * `[data-problem]` element instead of retrying.
   */
  follow<T>(path: string, type: string, render: (answer: ReadAnswer<T>) => void): void;
  /** Runs when the user leaves the view. */
  onLeave(cleanup: () => void): void;
  /** Opens this view with these parameters; `replace` when they only fill in defaults. */
  show(params: Record<string, string | undefined>, replace?: boolean): void;
};

export type View = (context: ViewContext) => void | Promise<void>;

/** A message in place of figures: nothing to show yet, or a problem. */
export function notice(element: Element, message: string, problem = false): void {
  element.innerHTML = `<p class="${problem ? 'problem' : 'empty'}"${problem ? ' role="alert"' : ''}>${escape(message)}</p>`;
}

/** Why the service refused, in the page's language, with the service's own reason. */
export function describe(error: ApiError): string {
  const t = text();
  const what =
    error.status === 404 ? t.notFound : error.status === 400 ? t.invalid : `HTTP ${error.status}`;
  return `${what}: ${error.message}`;
}

/**
 * A read to repeat on every change, one at a time: asked while one runs, it runs once more
 * after it (however many changes came meanwhile), so a busy feed never piles up reads.
 */
export function coalesced(task: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (again) {
        again = false;
        void run();
      }
    }
  };
  return () => void run().catch(() => undefined);
}
