import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  type CloseCodeName,
  closeCodeName,
  closeReason,
  isPermanentCloseCode,
  shouldRetry,
} from './closeCodes.ts';

const names = Object.keys(CloseCode) as CloseCodeName[];

describe('close codes', () => {
  it('gives every code one name and a reason, and finds the name from the number', () => {
    const numbers = names.map((name) => CloseCode[name]);
    expect(new Set(numbers).size).toBe(names.length);
    for (const name of names) {
      expect(closeCodeName(CloseCode[name])).toBe(name);
      expect(closeReason[CloseCode[name]]).toMatch(/^[a-z][a-z ]+$/);
    }
    expect(closeCodeName(4000)).toBeUndefined();
  });

  it('says "do not retry" exactly for the codes the stock client gives up on (44xx)', () => {
    // y-websocket stops reconnecting on 4400–4499 and retries everything else: a code whose
    // retry flag disagrees would either loop on a permanent error or strand a transient one.
    for (const name of names) {
      expect(shouldRetry(CloseCode[name]), name).toBe(!isPermanentCloseCode(CloseCode[name]));
    }
    expect(shouldRetry(CloseCode.DocumentNotFound)).toBe(false);
    expect(shouldRetry(CloseCode.TooManyClients)).toBe(true);
    expect(shouldRetry(4450)).toBe(false);
    expect(shouldRetry(4000)).toBe(true);
  });

  it('keeps WebSocket close codes in the ranges a server may send', () => {
    // 1004–1006 and 1015 are reserved for reporting; 4000–4999 is for applications
    for (const name of names) {
      const code = CloseCode[name];
      const standard = code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code);
      expect(standard || (code >= 4000 && code <= 4999), name).toBe(true);
    }
  });
});
