import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { EventStore } from '#event-store';
import { DataSource } from 'typeorm';
import type { Projection } from './runner/projection.js';
import { ProjectionCommits } from './queries/projection-commits.js';
import { ReadModelReader } from './queries/read-model-reader.js';
import { KnownAtSnapshots, type KnownAtSnapshotsOptions } from './known-at/known-at-snapshots.js';
import { ProjectionRunner } from './runner/projection-runner.js';

export type ProjectionsOptions = {
  projections: Projection[];
  /** False in an API whose projections run in a separate projector process. */
  run: boolean;
  batchSize?: number;
  knownAt?: KnownAtSnapshotsOptions;
};

const OPTIONS = Symbol('ProjectionsOptions');

@Injectable()
class ProjectionLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(OPTIONS) private readonly options: ProjectionsOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.run) await this.runner.start();
  }

  // Before the pools close (they close on application shutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}

/** The projection runner, started with the application when `run` is set. */
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      global: true,
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: ProjectionRunner,
          inject: [EventStore, DataSource],
          useFactory: (store: EventStore, dataSource: DataSource) =>
            new ProjectionRunner(store, dataSource, options.projections, {
              batchSize: options.batchSize,
              log: new Logger('Projections'),
            }),
        },
        {
          provide: KnownAtSnapshots,
          inject: [DataSource, EventStore],
          useFactory: (dataSource: DataSource, store: EventStore) =>
            new KnownAtSnapshots(dataSource, store, options.projections, {
              log: (message) => new Logger('KnownAt').warn(message),
              ...options.knownAt,
            }),
        },
        ProjectionLifecycle,
        ReadModelReader,
        ProjectionCommits,
      ],
      exports: [ProjectionRunner, ReadModelReader, ProjectionCommits, KnownAtSnapshots],
    };
  }
}
