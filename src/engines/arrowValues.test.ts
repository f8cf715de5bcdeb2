import { describe, expect, it } from 'vitest';
import { formatDate, formatDecimal, formatTimestamp } from './arrowValues.js';

describe('Arrow value formatting', () => {
  it('formats every date from year 1 to 9999 as Date would', () => {
    for (let day = -719_162; day <= 2_932_896; day += 37) {
      expect(formatDate(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }
  });

  it('formats timestamps with microseconds, before and after 1970', () => {
    expect(formatTimestamp(0n, true)).toBe('1970-01-01T00:00:00.000000Z');
    expect(formatTimestamp(-1n, true)).toBe('1969-12-31T23:59:59.999999Z');
    expect(formatTimestamp(1_709_600_000_123_456n, false)).toBe('2024-03-05T00:53:20.123456');
    expect(formatTimestamp(253_402_300_799_999_999n, true)).toBe('9999-12-31T23:59:59.999999Z');
  });

  it('formats 128-bit decimals exactly, small and large, positive and negative', () => {
    const words = new Uint32Array([5, 0, 0, 0, 0xfffffffb, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 1, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0x7fffffff]);
    expect(formatDecimal(words, 0, 2)).toBe('0.05');
    expect(formatDecimal(words, 4, 1)).toBe('-0.5');
    expect(formatDecimal(words, 8, 0)).toBe(String(2n ** 64n));
    expect(formatDecimal(words, 12, 38)).toBe(`1.${String(2n ** 127n - 1n).slice(1)}`);
  });
});
