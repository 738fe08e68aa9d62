import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary: 'Database, event store head, and each projection’s checkpoint and lag',
    description:
      '503 when the database or event store does not answer; "degraded" (still 200) while a ' +
      'projection keeps failing and retrying.',
  })
  check() {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 2000 }),
      async () => {
        const session = this.indicators.check('eventStore');
        try {
          return session.up({ head: await this.store.headPosition() });
        } catch (error) {
          return session.down({ message: (error as Error).message });
        }
      },
      async () => {
        const session = this.indicators.check('projections');
        const projections = await this.runner.status();
        const failing = projections.filter((p) => p.state === 'retrying');
        return failing.length > 0 ? session.degraded({ projections }) : session.up({ projections });
      },
    ]);
  }
}
