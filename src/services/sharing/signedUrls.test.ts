import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signFileUrl, verifyFileUrl } from './signedUrls.js';

const key = randomBytes(32);
const grant = { tableId: '22222222-2222-2222-2222-222222222222', path: 'region=EU/part-0001 a.parquet', recipient: 'acme', expires: Date.now() + 60_000 };

describe('signed file URLs', () => {
  it('carry the file, the recipient and the expiry, and verify', () => {
    const url = new URL(signFileUrl(key, 'http://127.0.0.1:9', grant));
    expect(verifyFileUrl(key, url)).toEqual({ grant });
  });

  it('refuse an altered path, recipient or expiry, another key, and an expired URL', () => {
    const url = signFileUrl(key, 'http://127.0.0.1:9', grant);
    const altered = [url.replace('part-0001', 'part-0002'), url.replace('r=acme', 'r=other'), url.replace(/e=\d+/, `e=${grant.expires + 1}`)];
    for (const text of altered) expect(verifyFileUrl(key, new URL(text))).toEqual({ refused: 'the file URL signature does not match' });
    expect(verifyFileUrl(randomBytes(32), new URL(url))).toHaveProperty('refused');
    const expired = signFileUrl(key, 'http://127.0.0.1:9', { ...grant, expires: Date.now() - 1 });
    expect(verifyFileUrl(key, new URL(expired))).toEqual({ refused: 'the file URL has expired' });
  });
});
