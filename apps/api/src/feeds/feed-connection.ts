import { type MessageEvent } from '@nestjs/common';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Observable, type Subscription } from 'rxjs';

/** What a connection reports to the registry that counts feeds. */
export type FeedConnectionEvents = {
  /** A snapshot replaced one still waiting for the client: the client will never see the older. */
  coalesced(): void;
  /** The client left its data unread past the bound and was disconnected. */
  dropped(): void;
  /** The connection ended, however. */
  closed(): void;
};

/** How often a feed with nothing to send writes a comment. */
export const HEARTBEAT_MS = 30_000;

/** `text/event-stream` framing of one message. */
export function serverSentEvent({ id, type, data }: MessageEvent): string {
  const lines = [];
  if (type) lines.push(`event: ${type}`);
  if (id !== undefined) lines.push(`id: ${id}`);
  for (const line of (typeof data === 'string' ? data : JSON.stringify(data)).split('\n')) {
    lines.push(`data: ${line}`);
  }
  return lines.join('\n') + '\n\n';
}

/**
 * One client's change feed on its HTTP response, written at the pace the client reads.
 *
 * Each snapshot holds every change up to its position, so a client that falls behind needs only
 * the latest: while the socket is full (`write` returned false), a new snapshot replaces the one
 * waiting, and is written on 'drain'. What the process holds for a stalled client is therefore
 * at most the socket's buffer and one snapshot, whatever the log does meanwhile. A client whose
 * unread data still passes `bufferLimit` (a huge snapshot) is disconnected; an EventSource
 * reconnects with its Last-Event-ID and gets the latest snapshot.
 */
export class FeedConnection {
  private waiting?: MessageEvent;
  private subscription?: Subscription;
  private heartbeat?: NodeJS.Timeout;
  private ended = false;

  constructor(
    private readonly request: IncomingMessage,
    private readonly response: ServerResponse,
    private readonly bufferLimit: number,
    private readonly events: FeedConnectionEvents,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  /** Sends the headers, then every message of `feed` until either side ends. */
  serve(feed: Observable<MessageEvent>): void {
    const socket = this.request.socket;
    if (socket.destroyed) {
      // The client left while the first snapshot was read: 'close' has come and gone.
      this.end();
      return;
    }
    socket.setKeepAlive(true);
    socket.setNoDelay(true);
    socket.setTimeout(0);
    this.response.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'private, no-cache, no-store, must-revalidate, max-age=0, no-transform',
      Connection: 'keep-alive',
      // Proxies such as nginx would otherwise hold the events back.
      'X-Accel-Buffering': 'no',
    });
    this.response.flushHeaders();
    this.response.on('close', () => this.end());
    this.response.on('drain', () => this.writeWaiting());
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.subscription = feed.subscribe({
      next: (message) => this.send(message),
      error: () => this.response.end(),
      complete: () => this.response.end(),
    });
    if (this.ended) this.subscription.unsubscribe();
  }

  private send(message: MessageEvent): void {
    if (this.ended) return;
    if (this.response.writableNeedDrain) {
      if (this.waiting) this.events.coalesced();
      this.waiting = message;
      return;
    }
    this.response.write(serverSentEvent(message));
    if (this.response.writableLength > this.bufferLimit) {
      this.events.dropped();
      this.response.destroy();
    }
  }

  /**
   * A comment, which clients ignore, on a quiet feed: proxies do not time the connection out,
   * and a client that vanished without closing (a laptop put to sleep) is found out by the
   * failing writes, so it does not keep its place under the limits for good. A full socket
   * already has a write pending.
   */
  private beat(): void {
    if (!this.ended && !this.response.writableNeedDrain) this.response.write(':\n\n');
  }

  private writeWaiting(): void {
    const message = this.waiting;
    this.waiting = undefined;
    if (message) this.send(message);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.waiting = undefined;
    clearInterval(this.heartbeat);
    this.subscription?.unsubscribe();
    this.events.closed();
  }
}
