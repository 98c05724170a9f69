import { describe, expect, it } from 'vitest';
import { ChannelCookies } from '../../../../src/sinks/hec/channel-cookies.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('ChannelCookies (sticky sessions per HEC channel)', () => {
  it('sends back the cookies a channel was given, to that channel only', () => {
    const jar = new ChannelCookies();
    expect(jar.header(A)).toBeUndefined();
    jar.remember(A, ['AWSELB=abc123; Path=/; HttpOnly', 'AWSELBCORS=abc123; Path=/; SameSite=None; Secure']);
    jar.remember(B, 'AWSELB=zzz; Path=/');
    expect(jar.header(A)).toBe('AWSELB=abc123; AWSELBCORS=abc123');
    expect(jar.header(B)).toBe('AWSELB=zzz');
  });

  it('replaces a cookie set again and drops one with Max-Age=0 or a past Expires', () => {
    const jar = new ChannelCookies();
    jar.remember(A, ['lb=1', 'other=x']);
    jar.remember(A, 'lb=2');
    expect(jar.header(A)).toBe('lb=2; other=x');
    jar.remember(A, 'lb=; Max-Age=0');
    expect(jar.header(A)).toBe('other=x');
    jar.remember(A, 'other=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT');
    expect(jar.header(A)).toBeUndefined();
  });

  it('expires a cookie after its Max-Age', () => {
    const jar = new ChannelCookies();
    jar.remember(A, 'lb=1; Max-Age=60', 1_000_000);
    expect(jar.header(A, 1_000_000 + 59_000)).toBe('lb=1');
    expect(jar.header(A, 1_000_000 + 60_000)).toBeUndefined();
  });

  it('forgets a rotated channel, ignores absent or unparsable headers', () => {
    const jar = new ChannelCookies();
    jar.remember(A, undefined);
    jar.remember(A, '=novalue');
    expect(jar.header(A)).toBeUndefined();
    jar.remember(A, 'lb=1');
    jar.forget(A);
    expect(jar.header(A)).toBeUndefined();
  });
});
