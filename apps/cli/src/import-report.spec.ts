import { describe, expect, it } from '@jest/globals';
import {
  type ImportSummary,
  count,
  describeImport,
  describeRefusal,
  describeRow,
} from './import-report.js';

const summary = (counts: Partial<ImportSummary>): ImportSummary => ({
  rows: 0,
  batches: 0,
  recordedBatches: 0,
  recordedRows: 0,
  alreadyRecordedBatches: 0,
  alreadyRecordedRows: 0,
  position: null,
  ...counts,
});

describe('import reports', () => {
  it('counts one thing in the singular and others in the plural', () => {
    expect(count(1, 'row')).toBe('1 row');
    expect(count(0, 'row')).toBe('0 rows');
    expect(count(1, 'batch')).toBe('1 batch');
    expect(count(2, 'batch')).toBe('2 batches');
    expect(count(1_500, 'invalid row')).toBe('1,500 invalid rows');
  });

  it('counts rows and batches separately', () => {
    const done = summary({
      rows: 3,
      batches: 2,
      recordedBatches: 1,
      recordedRows: 1,
      alreadyRecordedBatches: 1,
      alreadyRecordedRows: 2,
      position: 42,
    });
    expect(describeImport(done, 'units.csv', false)).toBe(
      'Imported 3 rows of units.csv in 2 batches: 1 row recorded now (1 batch), ' +
        '2 rows already recorded (1 batch); log position 42',
    );
    expect(describeImport(summary({ rows: 1, batches: 1 }), 'one.csv', true)).toBe(
      'Checked 1 row of one.csv in 1 batch; nothing was sent',
    );
  });

  it('advises fixing the token, not the file, when the service refuses the token', () => {
    const refusal = { batch: 1, status: 401, error: 'unauthenticated', message: 'Bad.', rows: [] };
    const text = describeRefusal(refusal, summary({ rows: 2, batches: 1 }));
    expect(text).toMatch(/refused the token at batch 1 of 1/);
    expect(text).toMatch(/The file is not at fault: fix the token/);
    expect(text).not.toMatch(/Fix the file/);
  });

  it('advises fixing the file when the service refuses a row, naming what is already recorded', () => {
    const refusal = {
      batch: 2,
      status: 422,
      error: 'unknown_unit',
      message: 'Line 1 (RegisterUnit) was refused',
      rows: [{ line: 4, command: 'RegisterUnit', error: 'unknown_unit', message: 'Unknown unit' }],
    };
    const before = summary({ rows: 3, batches: 2, recordedBatches: 1, recordedRows: 2 });
    const text = describeRefusal(refusal, before);
    expect(text).toBe(
      'The service refused 1 row of batch 2 of 2, so nothing of that batch was recorded. ' +
        'The 2 rows of the 1 batch before it are recorded, and the next run skips them. ' +
        'Fix the file in place and run the import again.',
    );
    // The service's own message numbers the row within its batch: only the file's line is shown.
    expect(text).not.toMatch(/Line 1/);
  });

  it('names each row once, under its line in the file', () => {
    expect(
      describeRow({
        line: 4,
        command: 'RegisterUnit',
        error: 'validation_failed',
        message: 'Invalid',
        fields: [{ field: 'parentId', reason: "Unknown unit 'NOWHERE'" }],
      }),
    ).toBe("  line 4 (RegisterUnit): parentId Unknown unit 'NOWHERE'");
  });
});
