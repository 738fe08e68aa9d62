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
 * worker, yet must count the whole service, or its counters would jump between the workers'
 * and the projector's work would never be seen. So the worker asks its supervisor, which asks
 * every child over IPC for its registry (as JSON), adds them up with prom-client's
 * `AggregatorRegistry` (counters and histograms summed, each metric's `aggregator` otherwise:
 * the database's figures are taken from one process), and sends the text back.
 */

const ASK_CHILD = 'campaign-ledger:metrics?';
const CHILD_ANSWER = 'campaign-ledger:metrics';
const ASK_CLUSTER = 'campaign-ledger:cluster-metrics?';
const CLUSTER_ANSWER = 'campaign-ledger:cluster-metrics';

/** How long a scrape waits for a process before leaving it out (it may be restarting). */
export const CHILD_SCRAPE_TIMEOUT_MS = 2_000;

/** A worker's scrape got no answer from the supervisor, or the adding up failed. */
export class ClusterMetricsUnavailable extends Error {
  constructor(reason: string) {
    super(`The cluster's metrics could not be gathered: ${reason}`);
    this.name = 'ClusterMetricsUnavailable';
  }
}

type Message = { type?: unknown; id?: unknown };
type Metrics = MetricObjectWithValues<MetricValue<string>>[];

/** A supervised child as the supervisor holds it: a cluster worker or a forked process. */
export type ScrapedChild = Pick<EventEmitter, 'on' | 'off'> & {
  send(message: unknown): boolean;
};

const isMessage = (message: unknown, type: string): message is Message & { id: string } =>
  typeof message === 'object' &&
  message !== null &&
  (message as Message).type === type &&
  typeof (message as Message).id === 'string';

/**
 * In a child of the supervisor (`supervised`), answers its requests for this registry.
 * Returns what stops answering.
 */
export function answerClusterScrapes(registry: Registry, supervised: boolean): () => void {
  if (!supervised) return () => undefined;
  const answer = (message: unknown) => {
    if (!isMessage(message, ASK_CHILD)) return;
    void registry.getMetricsAsJSON().then(
      (metrics) => process.send?.({ type: CHILD_ANSWER, id: message.id, metrics }),
      () => process.send?.({ type: CHILD_ANSWER, id: message.id, metrics: [] }),
    );
  };
  process.on('message', answer);
  return () => process.off('message', answer);
}

/** In an HTTP worker of the cluster: the whole service's metrics, from the supervisor. */
export function scrapeCluster(timeoutMs = CHILD_SCRAPE_TIMEOUT_MS * 2): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onAnswer);
      reject(new ClusterMetricsUnavailable(`no answer from the supervisor within ${timeoutMs} ms`));
    }, timeoutMs);
    const onAnswer = (message: unknown) => {
      if (!isMessage(message, CLUSTER_ANSWER) || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onAnswer);
      const { text, error } = message as unknown as { text?: string; error?: string };
      if (text === undefined) reject(new ClusterMetricsUnavailable(error ?? 'no reason given'));
      else resolve(text);
    };
    process.on('message', onAnswer);
    process.send?.({ type: ASK_CLUSTER, id });
  });
}

/** One child's registry, or undefined if it does not answer in time. */
function askChild(child: ScrapedChild, timeoutMs: number): Promise<Metrics | undefined> {
  const id = randomUUID();
  return new Promise((resolve) => {
    const done = (metrics: Metrics | undefined) => {
      clearTimeout(timer);
      child.off('message', onAnswer);
      resolve(metrics);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    const onAnswer = (message: unknown) => {
      if (isMessage(message, CHILD_ANSWER) && message.id === id) {
        done((message as unknown as { metrics: Metrics }).metrics);
      }
    };
    child.on('message', onAnswer);
    try {
      if (!child.send({ type: ASK_CHILD, id })) done(undefined);
    } catch {
      done(undefined); // its channel closed: it is going away
    }
  });
}

/** Every child's metrics added up, in the Prometheus text format. */
export async function clusterMetrics(
  children: readonly ScrapedChild[],
  timeoutMs = CHILD_SCRAPE_TIMEOUT_MS,
): Promise<string> {
  const answers = await Promise.all(children.map((child) => askChild(child, timeoutMs)));
  const answered = answers.filter((metrics): metrics is Metrics => metrics !== undefined);
  const registry = AggregatorRegistry.aggregate(answered);
  const processes = new Gauge({
    name: 'ledger_cluster_processes',
    help: 'Processes of the cluster (HTTP workers and the projector) whose metrics this scrape adds up (answered="true") or lacks (answered="false": restarting, or too slow)',
    labelNames: ['answered'] as const,
    registers: [registry],
  });
  processes.set({ answered: 'true' }, answered.length);
  processes.set({ answered: 'false' }, children.length - answered.length);
  return registry.metrics();
}

/**
 * In the supervisor: answers its HTTP workers' scrapes with the metrics of every child,
 * `children()` as they are at each scrape. Returns what stops serving.
 */
export function serveClusterScrapes(children: () => ScrapedChild[]): () => void {
  const onMessage = (worker: ScrapedChild, message: unknown) => {
    if (!isMessage(message, ASK_CLUSTER)) return;
    const reply = (answer: { text: string } | { error: string }) => {
      try {
        worker.send({ type: CLUSTER_ANSWER, id: message.id, ...answer });
      } catch {
        // The worker that asked has gone: nobody waits for the answer.
      }
    };
    void clusterMetrics(children()).then(
      (text) => reply({ text }),
      (error: Error) => reply({ error: error.message }),
    );
  };
  cluster.on('message', onMessage);
  return () => cluster.off('message', onMessage);
}
