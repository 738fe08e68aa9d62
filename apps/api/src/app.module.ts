import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { type Environment } from './config/environment.js';
import { storageModules } from './storage-modules.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AdministrativeUnitsModule } from './administrative-units/administrative-units.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AlertsModule } from './alerts/alerts.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AttainmentModule } from './attainment/attainment.module.js';
import { AuthModule } from './auth/auth.module.js';
import { FeedsModule } from './feeds/feeds.module.js';
import { CampaignProgressModule } from './campaign-progress/campaign-progress.module.js';
import { MilestoneComplianceModule } from './milestone-compliance/milestone-compliance.module.js';
import { CollectionModule } from './collection/collection.module.js';
import { ParticipationModule } from './participation/participation.module.js';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { DebtModule } from './debt/debt.module.js';
import { PublishedFiguresModule } from './published-figures/published-figures.module.js';
import { MilestonesModule } from './milestones/milestones.module.js';
import { PerformanceModule } from './performance/performance.module.js';
import { PlansModule } from './plans/plans.module.js';
import { type TokenVerification } from './auth/token-verifier.js';
import { ImportsModule } from './imports/imports.module.js';
import { LedgerModule } from './ledger/ledger.module.js';
import { SchemesController } from './schemes/schemes.http.controller.js';
import { ServiceController } from './service.controller.js';
import { type Projection, projections } from '#projections';

export type AppOptions = {
  /** Validated settings: see `validateEnvironment`. */
  environment: Environment;
  /** DATABASE_URL, or the embedded server's URL. */
  databaseUrl: string;
  /** How bearer tokens are verified: see `tokenVerificationFor`. */
  tokenVerification: TokenVerification;
  /** The read models to keep; tests may pass their own. */
  projections?: Projection[];
};

@Module({})
export class AppModule {
  static forRoot({
    environment,
    databaseUrl,
    tokenVerification,
    projections: views = projections,
  }: AppOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The settings are validated before the module is built (main.ts needs them to open the
        // database), so ConfigService serves exactly these values and never re-reads process.env.
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          ignoreEnvVars: true,
          skipProcessEnv: true,
          load: [() => ({ ...environment })],
        }),
        ...storageModules({
          environment,
          databaseUrl,
          applicationName: 'campaign-ledger-api',
          projections: views,
          runProjections: environment.RUN_PROJECTIONS,
        }),
        AuthModule.forRoot(tokenVerification, environment.STREAM_TOKEN_SECONDS),
        HealthModule,
        MetricsModule,
        LedgerModule,
        AdministrativeUnitsModule,
        CollectionModule,
        ParticipationModule,
        ImportsModule,
        PlansModule,
        DebtModule,
        CampaignsModule,
        MilestonesModule,
        AttainmentModule,
        AdminModule,
        AuditModule,
        FeedsModule,
        CampaignProgressModule,
        MilestoneComplianceModule,
        PerformanceModule,
        PublishedFiguresModule,
        AlertsModule,
      ],
      controllers: [ServiceController, SchemesController],
    };
  }
}
