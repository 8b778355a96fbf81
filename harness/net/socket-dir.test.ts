import { describe, expect, it } from 'vitest';
import { RELAY_DIR, SOCKET_PATH_MAX_BYTES, socketPathsFit } from './socket-dir.ts';

describe('relay socket paths', () => {
  it('fit when the longest node socket path is within sun_path', () => {
    const dir = `/${'d'.repeat(SOCKET_PATH_MAX_BYTES - '/n10.sock'.length - 1)}`;
    expect(socketPathsFit(dir, ['n1', 'n10'])).toBe(true);
    expect(socketPathsFit(`${dir}x`, ['n1', 'n10'])).toBe(false);
    expect(socketPathsFit(`${dir}x`, ['n1'])).toBe(true);
  });

  it('count bytes, not characters', () => {
    const dir = `/${'é'.repeat(50)}`; // 101 bytes, 51 characters
    expect(socketPathsFit(dir, ['n1'])).toBe(false);
  });

  it('the short directory carries the harness pid for the leftover sweep', () => {
    expect(RELAY_DIR.exec('zooproof-4242-relay-Ab12Cd')?.[1]).toBe('4242');
    expect(RELAY_DIR.test('zooproof-4242-0')).toBe(false);
  });
});
