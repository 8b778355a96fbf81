// `zooproof run` option resolution: where the net mode came from.
import { describe, expect, it } from 'vitest';
import { resolveOptions } from './run-command.ts';

describe('zooproof run: net origin', () => {
  it('is the default without --net, and the flag with one', () => {
    expect(resolveOptions('register', {})).toMatchObject({ net: 'proxy', netOrigin: 'default' });
    expect(resolveOptions('register', { net: 'proxy' })).toMatchObject({ net: 'proxy', netOrigin: 'flag' });
    expect(resolveOptions('register', { net: 'auto' })).toMatchObject({ net: 'auto', netOrigin: 'flag' });
  });
});
