import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { type EventEmitter } from 'node:events';
import {
  AggregatorRegistry,
  Gauge,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from 'prom-client';

/**
 * `/metrics` of a service on several processes (API_WORKERS): a scrape lands on any one HTTP
 * worker, yet must show the whole service, or its counters would jump between the workers'
 * and the projector's work would never be seen. So the worker asks its supervisor, which asks
 * every child over IPC for its registry (as JSON) and answers with all of them, each process's
 * series under a `process` label of its own (`worker-1`, `worker-2`, …, `projector`), stable
 * across a restart of that process. Nothing is added up here: Prometheus sums them (`sum
 * without (process)`) and sees a restarted process's counters reset on their own series. The
 * database's figures (the log head, the projections' checkpoints and lag) are the same for
 * every process: one process reads them per scrape and they carry no `process` label.
 */

const ASK_CHILD = 'campaign-ledger:metrics?';
const CHILD_ANSWER = 'campaign-ledger:metrics';
const ASK_CLUSTER = 'campaign-ledger:cluster-metrics?';
const CLUSTER_ANSWER = 'campaign-ledger:cluster-metrics';

/** How long a scrape waits for a process before leaving it out (it may be restarting). */
export const CHILD_SCRAPE_TIMEOUT_MS = 4_000;

/** A worker's scrape got no answer from the supervisor, or gathering failed. */
export class ClusterMetricsUnavailable extends Error {
  constructor(reason: string) {
    super(`The cluster's metrics could not be gathered: ${reason}`);
    this.name = 'ClusterMetricsUnavailable';
  }
}

type Message = { type?: unknown; id?: unknown };
type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** The IPC channel of a child as its supervisor holds it: a cluster worker or a forked process. */
export type Channel = Pick<EventEmitter, 'on' | 'off' | 'once'> & {
  send(message: unknown, callback?: (error: Error | null) => void): boolean;
};

/** A child of the cluster at a scrape: its stable name, and its channel while it runs. */
export type ScrapedChild = { name: string; channel?: Channel };

/**
 * What a process registers for a cluster's scrape: `work`, its own series; `database`, the
 * figures read from the database, asked of one process per scrape.
 */
export type ScrapedRegistries = { work: Registry; database?: Registry };

const isMessage = (message: unknown, type: string): message is Message & { id: string } =>
  typeof message === 'object' &&
  message !== null &&
  (message as Message).type === type &&
  typeof (message as Message).id === 'string';

/**
 * JSON over IPC has no NaN or infinities (an event-loop mean with no samples is NaN): they
 * travel as strings and come back as numbers.
 */
const NON_FINITE: Record<string, number> = { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity };

function encode(metrics: Metrics): Metrics {
  return metrics.map((metric) => ({
    ...metric,
    values: metric.values.map((sample) =>
      Number.isFinite(sample.value)
        ? sample
        : {
            ...sample,
            value: (Number.isNaN(sample.value)
              ? 'NaN'
              : sample.value > 0
                ? '+Inf'
                : '-Inf') as unknown as number,
          },
    ),
  }));
}

function decode(metrics: Metrics): Metrics {
  return metrics.map((metric) => ({
    ...metric,
    values: metric.values.map((sample) =>
      typeof sample.value === 'string' ? { ...sample, value: NON_FINITE[sample.value] } : sample,
    ),
  }));
}

/**
 * In a child of the supervisor (`supervised`), answers its requests for these registries:
 * the database's figures only when asked. A collector that fails makes the answer an error,
 * so the scrape counts this process as missing rather than silently empty. Returns what stops
 * answering.
 */
export function answerClusterScrapes(
  registries: ScrapedRegistries,
  supervised: boolean,
  channel: Channel = process as unknown as Channel,
): () => void {
  if (!supervised) return () => undefined;
  const answer = (message: unknown) => {
    if (!isMessage(message, ASK_CHILD)) return;
    const { database } = message as { database?: boolean };
    const asked = [
      registries.work,
      ...(database && registries.database ? [registries.database] : []),
    ];
    const reply = (answer: { metrics: Metrics } | { error: string }) =>
      channel.send({ type: CHILD_ANSWER, id: message.id, ...answer }, () => undefined);
    void Promise.all(asked.map((registry) => registry.getMetricsAsJSON())).then(
      (parts) => reply({ metrics: encode(parts.flat()) }),
      (error: Error) => reply({ error: error.message }),
    );
  };
  channel.on('message', answer);
  return () => channel.off('message', answer);
}

/**
 * Requests over one channel, told apart by id: one 'message' listener per channel however
 * many are waiting. A request left unanswered after `timeoutMs`, or when the channel goes
 * away, settles as `undefined`.
 */
class Requests {
  private readonly pending = new Map<string, (answer: Message | undefined) => void>();
  private listening = false;

  constructor(
    private readonly channel: Channel,
    private readonly answerType: string,
  ) {}

  ask(message: Record<string, unknown>, timeoutMs: number): Promise<Message | undefined> {
    const id = randomUUID();
    this.listen();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(id, undefined), timeoutMs);
      this.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      // `false` only means the message waits in the channel's queue; a closed channel says so
      // to the callback.
      this.channel.send({ ...message, id }, (error) => {
        if (error) this.settle(id, undefined);
      });
    });
  }

  private settle(id: string, answer: Message | undefined): void {
    const resolve = this.pending.get(id);
    if (!resolve) return;
    this.pending.delete(id);
    resolve(answer);
    if (this.pending.size === 0) this.stopListening();
  }

  private readonly onMessage = (message: unknown) => {
    if (isMessage(message, this.answerType)) this.settle(message.id, message);
  };

  private readonly onGone = () => {
    for (const id of [...this.pending.keys()]) this.settle(id, undefined);
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.channel.on('message', this.onMessage);
    this.channel.on('disconnect', this.onGone);
    this.channel.on('exit', this.onGone);
  }

  private stopListening(): void {
    this.listening = false;
    this.channel.off('message', this.onMessage);
    this.channel.off('disconnect', this.onGone);
    this.channel.off('exit', this.onGone);
  }
}

const requestsTo = new WeakMap<Channel, Requests>();
function requests(channel: Channel, answerType: string): Requests {
  let found = requestsTo.get(channel);
  if (!found) requestsTo.set(channel, (found = new Requests(channel, answerType)));
  return found;
}

/** In an HTTP worker of the cluster: the whole service's metrics, from the supervisor. */
export async function scrapeCluster(
  timeoutMs = CHILD_SCRAPE_TIMEOUT_MS * 2,
  channel: Channel = process as unknown as Channel,
): Promise<string> {
  const answer = await requests(channel, CLUSTER_ANSWER).ask({ type: ASK_CLUSTER }, timeoutMs);
  if (!answer) {
    throw new ClusterMetricsUnavailable(`no answer from the supervisor within ${timeoutMs} ms`);
  }
  const { text, error } = answer as { text?: string; error?: string };
  if (text === undefined) throw new ClusterMetricsUnavailable(error ?? 'no reason given');
  return text;
}

/** One child's series, or undefined if it is not running, fails or does not answer in time. */
async function askChild(
  channel: Channel | undefined,
  database: boolean,
  timeoutMs: number,
): Promise<Metrics | undefined> {
  if (!channel) return undefined;
  const answer = await requests(channel, CHILD_ANSWER).ask(
    { type: ASK_CHILD, database },
    timeoutMs,
  );
  const { metrics } = (answer ?? {}) as { metrics?: Metrics };
  return metrics && decode(metrics);
}

/**
 * Every child's series in the Prometheus text format, each under its `process` label. The
 * database's figures come from the first running child that gives them (metrics whose
 * aggregator is `first`, unlabelled).
 */
export async function clusterMetrics(
  children: readonly ScrapedChild[],
  timeoutMs = CHILD_SCRAPE_TIMEOUT_MS,
): Promise<string> {
  const asksDatabase = children.findIndex(({ channel }) => channel !== undefined);
  const answers = await Promise.all(
    children.map(({ channel }, index) => askChild(channel, index === asksDatabase, timeoutMs)),
  );
  const labelled = answers.flatMap((metrics, index) =>
    metrics === undefined
      ? []
      : [
          metrics.map((metric) =>
            metric.aggregator === 'first'
              ? metric
              : {
                  ...metric,
                  // One series per process: summing one value is that value, and no
                  // process's series is dropped (prom-client omits some by default).
                  aggregator: 'sum' as const,
                  values: metric.values.map((sample) => ({
                    ...sample,
                    labels: { ...sample.labels, process: children[index].name },
                  })),
                },
          ),
        ],
  );
  const registry = AggregatorRegistry.aggregate(labelled);
  const processes = new Gauge({
    name: 'ledger_cluster_processes',
    help: 'Processes of the cluster (HTTP workers and the projector) whose series this scrape holds (answered="true") or lacks (answered="false": restarting, failing or too slow)',
    labelNames: ['answered'] as const,
    registers: [registry],
  });
  const answered = labelled.length;
  processes.set({ answered: 'true' }, answered);
  processes.set({ answered: 'false' }, children.length - answered);
  return registry.metrics();
}

/**
 * In the supervisor: answers its HTTP workers' scrapes with the series of every child, as
 * `children()` lists them at each scrape (every slot, running or not). Returns what stops
 * serving.
 */
export function serveClusterScrapes(
  children: () => ScrapedChild[],
  timeoutMs = CHILD_SCRAPE_TIMEOUT_MS,
): () => void {
  const onMessage = (worker: Channel, message: unknown) => {
    if (!isMessage(message, ASK_CLUSTER)) return;
    const reply = (answer: { text: string } | { error: string }) =>
      // The worker that asked may have gone: nobody waits for the answer then.
      worker.send({ type: CLUSTER_ANSWER, id: message.id, ...answer }, () => undefined);
    void clusterMetrics(children(), timeoutMs).then(
      (text) => reply({ text }),
      (error: Error) => reply({ error: error.message }),
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
