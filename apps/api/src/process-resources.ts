import { type ConsoleLogger } from '@nestjs/common';
import { DataDirInUse } from '#database';
import { KurrentDBUnreachable } from '#event-store';
import { constants } from 'node:os';

/** Thrown by `open()` once shutdown has begun: start-up stops quietly. */
export class ShutdownRequested extends Error {
  constructor() {
    super('Shutdown requested during start-up');
    this.name = 'ShutdownRequested';
  }
}

type Opened = { name: string; close: () => Promise<void> };

/**
 * What this process has opened (database server, Nest app), closed newest first, once: on the
 * first SIGINT, SIGTERM or SIGHUP, or when start-up fails. A signal during start-up waits for the
 * step in progress, then closes everything opened so far.
 */
export class ProcessResources {
  private readonly opened: Opened[] = [];
  private opening: Promise<unknown> = Promise.resolve();
  private closing?: Promise<void>;

  constructor(private readonly logger: ConsoleLogger) {}

  async open<T>(
    name: string,
    open: () => Promise<T>,
    close: (resource: T) => Promise<void>,
  ): Promise<T> {
    if (this.closing) throw new ShutdownRequested();
    const attempt = (async () => {
      const resource = await open();
      this.opened.push({ name, close: () => close(resource) });
      return resource;
    })();
    this.opening = attempt.catch(() => undefined);
    const resource = await attempt;
    if (this.closing) throw new ShutdownRequested();
    return resource;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.opening;
      for (const { name, close } of this.opened.reverse()) {
        try {
          await close();
        } catch (error) {
          this.logger.error(`Could not close ${name}: ${(error as Error).message}`, 'Shutdown');
        }
      }
    })();
    return this.closing;
  }

  /** The first signal closes everything and exits 0; a second one exits at once. */
  exitOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']): void {
    for (const signal of signals) {
      process.on(signal, () => {
        if (this.closing) {
          this.logger.warn(`${signal} during shutdown: exiting at once`, 'Shutdown');
          process.exit(128 + constants.signals[signal]);
        }
        this.logger.log(`${signal} received: shutting down`, 'Shutdown');
        void this.close().then(() => {
          this.logger.log('Stopped', 'Shutdown');
          process.exit(0);
        });
      });
    }
  }

  /** Reports why start-up failed, closes what was opened and exits 1. */
  async abortStart(error: unknown): Promise<void> {
    if (error instanceof ShutdownRequested) return;
    if (error instanceof DataDirInUse || error instanceof KurrentDBUnreachable) {
      // The operator's situation, not a bug: one line says it all.
      this.logger.fatal(error.message, 'Main');
    } else {
      const { message, stack } = error instanceof Error ? error : new Error(String(error));
      this.logger.fatal(`Could not start: ${message}`, stack, 'Main');
    }
    await this.close();
    process.exit(1);
  }
}
