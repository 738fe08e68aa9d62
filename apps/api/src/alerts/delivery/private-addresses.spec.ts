import { describe, expect, it } from '@jest/globals';
import { isPrivateAddress, privateHostRefusal } from './private-addresses.js';

describe('private webhook addresses (ALERT_WEBHOOK_DENY_PRIVATE)', () => {
  it('are loopback, private, link-local and unique-local ones, in IPv4, IPv6 and mapped form', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
    ]) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
    }
  });

  it('refuses a URL whose host is, or resolves to, one, and lets a public one through', async () => {
    expect(await privateHostRefusal('http://127.0.0.1:8080/alerts')).toMatch(/^Refused: /);
    expect(await privateHostRefusal('http://[::1]/alerts')).toMatch(/^Refused: /);
    expect(await privateHostRefusal('http://localhost/alerts')).toMatch(/^Refused: /);
    expect(await privateHostRefusal('https://93.184.216.34/alerts')).toBeUndefined();
  });
});
