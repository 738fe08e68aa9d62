import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { EventStore } from '#event-store';
import { ProjectionRunner } from '#projections';
import { Unhealthy } from './unhealthy.js';
import { Public } from '../auth/auth.decorators.js';
import { ErrorResponseDto } from '../http-errors/error-response.dto.js';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@ApiTags('operations')
@Public()
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
  @ApiOkResponse({
    description: 'Every check answers (`ok`), or a projection keeps failing (`degraded`).',
  })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Unhealthy (`unhealthy`): the message names each failing check and why.',
  })
  async check() {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        async () => {
          const session = this.indicators.check('eventStore');
          try {
            return session.up({
              head: await withTimeout(this.store.headPosition(), 'The event store'),
            });
          } catch (error) {
            return session.down({ message: (error as Error).message });
          }
        },
        async () => {
          const session = this.indicators.check('projections');
          try {
            const projections = await withTimeout(
              this.runner.status(),
              'The projection checkpoints',
            );
            const failing = projections.filter((p) => p.state === 'retrying');
            return failing.length > 0
              ? session.degraded({ projections })
              : session.up({ projections });
          } catch (error) {
            return session.down({ message: (error as Error).message });
          }
        },
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const { error: failing } = error.getResponse() as {
        error: ConstructorParameters<typeof Unhealthy>[0];
      };
      throw new Unhealthy(failing);
    }
  }
}
