import { describe, expect, it } from '@jest/globals';
import { AccessDeniedError, UnavailableError } from '@kurrent/kurrentdb-client';
import { describeConnectionFailure, redactConnectionString } from './connection-string.js';

describe('redactConnectionString', () => {
  it('masks the password', () => {
    expect(redactConnectionString('kurrentdb://admin:changeit@db.internal:2113?tls=true')).toBe(
      'kurrentdb://admin:***@db.internal:2113?tls=true',
    );
  });

  it('masks it in a connection string with several hosts', () => {
    expect(
      redactConnectionString('kurrentdb://ops:s3cret@a:2113,b:2113?nodePreference=leader'),
    ).toBe('kurrentdb://ops:***@a:2113,b:2113?nodePreference=leader');
  });

  it('leaves a connection string without credentials as it is', () => {
    expect(redactConnectionString('kurrentdb://localhost:2113?tls=false')).toBe(
      'kurrentdb://localhost:2113?tls=false',
    );
  });
});

describe('describeConnectionFailure', () => {
  it('explains what to check when nothing answers', () => {
    expect(describeConnectionFailure(new UnavailableError())).toMatch(/nothing answered.*tls=/);
  });

  it('explains a refused read of $all', () => {
    expect(describeConnectionFailure(new AccessDeniedError())).toMatch(/may not read \$all/);
  });

  it('passes on any other message', () => {
    expect(describeConnectionFailure(new Error('it did not answer within 10 ms'))).toBe(
      'it did not answer within 10 ms',
    );
  });
});
