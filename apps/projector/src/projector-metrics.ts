import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';
import { Registry } from 'prom-client';
import { isSupervised } from '../../api/src/cluster.js';
import { answerClusterScrapes } from '../../api/src/metrics/cluster-metrics.js';
import { registerWorkMetrics } from '../../api/src/metrics/work-metrics.js';

/**
 * The projector serves no HTTP: its metrics (process, projection batches and rebuilds) reach
 * Prometheus through the API that supervises it (API_WORKERS), whose scrapes ask for them over
 * IPC (cluster-metrics.ts). A projector started on its own keeps them unseen.
 */
@Injectable()
export class ProjectorMetrics implements OnModuleDestroy {
  readonly registry = new Registry();
  private readonly stopObserving: () => void;
  private readonly stopAnswering: () => void;

  constructor(store: EventStore, runner: ProjectionRunner) {
    this.stopObserving = registerWorkMetrics(this.registry, store, runner);
    this.stopAnswering = answerClusterScrapes({ work: this.registry }, isSupervised());
  }

  onModuleDestroy(): void {
    this.stopAnswering();
    this.stopObserving();
    this.registry.clear();
  }
}
