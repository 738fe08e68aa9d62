import { describe, expect, it } from '@jest/globals';
import { redactConnectionString } from './connection-string.js';

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
