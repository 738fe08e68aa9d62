import { ATTAINMENT_SOURCES, PROJECTION_BATCH_CHANNEL } from '#projections';
import pg from 'pg';
import { type ApiService, sleep } from '../api-service.js';
import { HTTP_UNIT_ID } from '../bench.js';
import { type Commit, commitLags } from '../commit-lags.js';
import { type AnsweredAppend, type ReceivedMessage, pushLags } from '../push-lags.js';
import { type Scenario } from '../scenario.js';
import { followServerSentEvents } from '../server-sent-events.js';
import { latencyOf, now } from '../statistics.js';
import { warmUp } from './http-appends.js';

/** Dashboards following the unit the enrollments are recorded in. */
const SUBSCRIBERS = 4;
/** Appends in flight at most; past it the pacer skips a beat rather than queueing. */
const MAX_IN_FLIGHT = 64;
const FEED_DATE = '2025-09-30';
const SCHEME = 'voluntary-social-insurance';

/**
 * Enrollments in one unit at a steady rate (half the single-append rate measured in this run),
 * each timed by its client, while `SUBSCRIBERS` clients follow that unit's change feed over
 * HTTP (text/event-stream, with stream tokens, as the dashboard does). Push latency: from the
 * append's answer to the first message, on each subscriber, whose id (the log position its
 * snapshot reflects) is at or past the append's position. Both instants are taken by this
 * process's monotonic clock, so no clock is shared with the server.
 */
export const pushLatency: Scenario = {
  id: 'push-latency',
  figures: ['push-latency'],
  async run(bench) {
    const service = await bench.service();
    await warmUp(bench, service);
    await bench.settled();
    const controller = new AbortController();
    const received: ReceivedMessage[][] = [];
    // The commits that trigger the feed's reads: when the feed could first have read an
    // append, which splits the push latency into the projections' part and the feed's own.
    const listener = new pg.Client({ connectionString: bench.database.url });
    await listener.connect();
    const sourceCommits: Commit[] = [];
    listener.on('notification', ({ payload }) => {
      const { projection, position } = JSON.parse(payload ?? '{}') as Partial<Commit>;
      if (projection && ATTAINMENT_SOURCES.includes(projection))
        sourceCommits.push({ projection, position: Number(position), at: now() });
    });
    try {
      await listener.query(`LISTEN ${PROJECTION_BATCH_CHANNEL}`);
      const feeds = await Promise.all(
        Array.from({ length: SUBSCRIBERS }, async () => {
          const { token } = (await service.post('/auth/stream-token', {})) as { token: string };
          const messages: ReceivedMessage[] = [];
          received.push(messages);
          const url = new URL(`/feeds/units/${HTTP_UNIT_ID}`, service.url);
          url.search = new URLSearchParams({
            date: FEED_DATE,
            scheme: SCHEME,
            access_token: token,
          }).toString();
          return followServerSentEvents(url.toString(), {}, controller.signal, (event) =>
            messages.push({ position: Number(event.id), at: now() }),
          );
        }),
      );
      const single = bench.measured('append-single')?.value ?? 400;
      const requestedRate =
        bench.options.loadRate ?? Math.round(Math.min(Math.max(single / 2, 20), 5_000));
      const load = await pacedEnrollments(
        service,
        'P',
        requestedRate,
        bench.options.durationSeconds * 1000,
      );
      const last = Math.max(...load.appends.map((append) => append.position));
      for (let waited = 0; waited < 10_000; waited += 50) {
        if (received.every((messages) => (messages.at(-1)?.position ?? 0) >= last)) break;
        await sleep(50);
      }
      controller.abort();
      await Promise.all(feeds.map((feed) => feed.ended));

      for (const append of load.appends) {
        const { lags } = commitLags(
          [{ position: append.position, at: 0 }],
          sourceCommits,
          ATTAINMENT_SOURCES,
        );
        append.committedAt = lags[0];
      }
      const { fromAnswer, fromSend, fromCommit, unseen } = pushLags(load.appends, received);
      if (unseen > 0)
        throw new Error(
          `${unseen} of ${load.appends.length * SUBSCRIBERS} appends × subscribers got no message within 10 s`,
        );
      const lag = latencyOf(fromAnswer);
      const lagFromSend = latencyOf(fromSend);
      const appendLatency = latencyOf(load.appends.map((a) => a.answeredAt - a.sentAt));
      const messages = received.reduce((sum, list) => sum + list.length, 0);
      const sourcesCommitted = latencyOf(
        load.appends.flatMap((a) =>
          a.committedAt === undefined ? [] : [a.committedAt - a.answeredAt],
        ),
      );
      const feedOwn = latencyOf(fromCommit);
      const commitGaps = sourceCommits.slice(1).map((c, i) => c.at - sourceCommits[i].at);
      return {
        'push-latency': {
          value: lag.p99,
          p50: lag.p50,
          p99: lag.p99,
          details: {
            measuredFrom: 'the append’s HTTP answer',
            appends: load.appends.length,
            subscribers: SUBSCRIBERS,
            messagesPerSubscriber: Math.round(messages / SUBSCRIBERS),
            feedSourceCommits: sourceCommits.length,
            feedSourceCommitGapsOf25MsOrMore: commitGaps.filter((gap) => gap >= 25).length,
            maxMs: lag.max,
            sourcesCommittedFromAnswerP50Ms: sourcesCommitted.p50,
            sourcesCommittedFromAnswerP99Ms: sourcesCommitted.p99,
            fromSourcesCommittedP50Ms: feedOwn.p50,
            fromSourcesCommittedP99Ms: feedOwn.p99,
            fromSendP50Ms: lagFromSend.p50,
            fromSendP99Ms: lagFromSend.p99,
            appendP50Ms: appendLatency.p50,
            appendP99Ms: appendLatency.p99,
            requestedRate,
            achievedRate: load.appends.length / (load.elapsedMs / 1000),
            refused: load.refused,
            skippedBeats: load.skipped,
          },
        },
      };
    } finally {
      controller.abort();
      await listener.end();
    }
  },
};

/**
 * `POST /participants/:id/enrollments` at `rate` a second for `durationMs`, each request timed
 * by its client and its answer's position kept. Open loop: requests go out on schedule whether
 * or not earlier ones have been answered, up to MAX_IN_FLIGHT.
 */
async function pacedEnrollments(
  service: ApiService,
  series: string,
  rate: number,
  durationMs: number,
): Promise<{ appends: AnsweredAppend[]; refused: number; skipped: number; elapsedMs: number }> {
  const appends: AnsweredAppend[] = [];
  const inFlight = new Set<Promise<void>>();
  let refused = 0;
  let skipped = 0;
  let firstRefusal: string | undefined;
  const enroll = async (participantId: string) => {
    const sentAt = now();
    const response = await fetch(
      new URL(`/participants/${participantId}/enrollments`, service.url),
      {
        method: 'POST',
        headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          scheme: SCHEME,
          unitId: HTTP_UNIT_ID,
          enrolledOn: '2025-09-05',
          paidUntil: '2025-09-30',
        }),
      },
    );
    const answer = await response.text();
    const answeredAt = now();
    if (!response.ok) {
      refused++;
      firstRefusal ??= `${response.status} ${answer.slice(0, 300)}`;
      return;
    }
    appends.push({
      position: (JSON.parse(answer) as { position: number }).position,
      sentAt,
      answeredAt,
    });
  };
  const started = now();
  let sent = 0;
  while (now() - started < durationMs) {
    const due = Math.floor(((now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      if (inFlight.size >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      const request: Promise<void> = enroll(`${series}-${sent}`)
        .catch(() => void refused++)
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    await sleep(2);
  }
  await Promise.all(inFlight);
  const elapsedMs = now() - started;
  if (appends.length === 0)
    throw new Error(`No enrollment was recorded: ${firstRefusal ?? `${refused} failed requests`}`);
  return { appends, refused, skipped, elapsedMs };
}
