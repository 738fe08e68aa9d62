import { Module } from '@nestjs/common';
import { CollectContributionController } from './collect-contribution/collect-contribution.http.controller.js';
import { collectContribution } from './collect-contribution/collect-contribution.use-case.js';
import { CorrectParticipationReportController } from './correct-participation-report/correct-participation-report.http.controller.js';
import { correctParticipationReport } from './correct-participation-report/correct-participation-report.use-case.js';
import { EnrollParticipantController } from './enroll-participant/enroll-participant.http.controller.js';
import { enrollParticipant } from './enroll-participant/enroll-participant.use-case.js';
import { RecordOpeningStockController } from './record-opening-stock/record-opening-stock.http.controller.js';
import { recordOpeningStock } from './record-opening-stock/record-opening-stock.use-case.js';
import { ReportParticipationController } from './report-participation/report-participation.http.controller.js';
import { reportParticipation } from './report-participation/report-participation.use-case.js';
import { ResumeParticipationController } from './resume-participation/resume-participation.http.controller.js';
import { resumeParticipation } from './resume-participation/resume-participation.use-case.js';
import { StopParticipationController } from './stop-participation/stop-participation.http.controller.js';
import { stopParticipation } from './stop-participation/stop-participation.use-case.js';

export const participationUseCases = [
  enrollParticipant,
  collectContribution,
  stopParticipation,
  resumeParticipation,
  reportParticipation,
  correctParticipationReport,
  recordOpeningStock,
];

@Module({
  controllers: [
    EnrollParticipantController,
    CollectContributionController,
    StopParticipationController,
    ResumeParticipationController,
    ReportParticipationController,
    CorrectParticipationReportController,
    RecordOpeningStockController,
  ],
})
export class ParticipationModule {}
