import { Module } from '@nestjs/common';
import { GetUnitDebtHandler, GetUnitDebtorsHandler } from '#projections';
import { ClassifyArrearsUnrecoverableController } from './classify-arrears-unrecoverable/classify-arrears-unrecoverable.http.controller.js';
import { classifyArrearsUnrecoverable } from './classify-arrears-unrecoverable/classify-arrears-unrecoverable.use-case.js';
import { GetUnitDebtController } from './get-unit-debt/get-unit-debt.http.controller.js';
import { GetUnitDebtorsController } from './get-unit-debtors/get-unit-debtors.http.controller.js';
import { PayArrearsController } from './pay-arrears/pay-arrears.http.controller.js';
import { payArrears } from './pay-arrears/pay-arrears.use-case.js';
import { RecordArrearsController } from './record-arrears/record-arrears.http.controller.js';
import { recordArrears } from './record-arrears/record-arrears.use-case.js';
import { WriteOffArrearsController } from './write-off-arrears/write-off-arrears.http.controller.js';
import { writeOffArrears } from './write-off-arrears/write-off-arrears.use-case.js';

export const debtUseCases = [
  recordArrears,
  payArrears,
  classifyArrearsUnrecoverable,
  writeOffArrears,
];

@Module({
  controllers: [
    RecordArrearsController,
    PayArrearsController,
    ClassifyArrearsUnrecoverableController,
    WriteOffArrearsController,
    GetUnitDebtController,
    GetUnitDebtorsController,
  ],
  providers: [GetUnitDebtHandler, GetUnitDebtorsHandler],
})
export class DebtModule {}
