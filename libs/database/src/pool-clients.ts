import type pg from 'pg';

/**
 * Pool options (TypeORM's `extra`) under which no connection of the pool can crash the process
 * with an unhandled `error` event. A pg client emits `error` when its server goes away while
 * no query runs on it, and an emitter without a listener throws. The pool listens while a
 * client is idle and TypeORM while its query runner holds it, but not in between, as when a
 * client is handed out or ended: a backend terminated at that moment (a database restart, an
 * administrator) threw from a socket callback. Each client gets a listener of its own that
 * leaves the handling to those others: the client is then not queryable, and its next use
 * fails as a query, where callers handle it.
 */
export const survivingPoolClients = {
  onConnect: (client: pg.Client) => {
    client.on('error', () => undefined);
  },
};
