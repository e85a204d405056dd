import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/core/errors.js';
import { encodeSegment, path } from '../src/internal/path.js';

describe('path segment encoding', () => {
  it('encodes hostile indicator values as a single segment', () => {
    expect(path`replists/dynamic/${'feed'}/${'http://evil/a?b#c'}`).toBe(
      'replists/dynamic/feed/http%3A%2F%2Fevil%2Fa%3Fb%23c',
    );
    expect(path`replists/${'../../x'}`).toBe('replists/..%2F..%2Fx');
    expect(path`signatures/rules/${2007802}`).toBe('signatures/rules/2007802');
  });

  it('rejects values that would change the route', () => {
    expect(() => encodeSegment('')).toThrow(ValidationError);
    expect(() => encodeSegment('..')).toThrow(/dot segment/);
    expect(() => encodeSegment('.')).toThrow(/dot segment/);
    expect(() => encodeSegment(Number.NaN)).toThrow(/finite/);
  });

  it('any string becomes one segment that resolves back to the same value', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (s) => {
        fc.pre(s !== '.' && s !== '..');
        if (/[\uD800-\uDFFF]/.test(s) && !/^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(s)) {
          expect(() => encodeSegment(s)).toThrow(/well-formed/);
          return;
        }
        const seg = encodeSegment(s);
        expect(seg).not.toMatch(/[/?#]/);
        const url = new URL(`https://nad.example/api/v2/replists/dynamic/k/${seg}`);
        expect(url.pathname.split('/')).toHaveLength(7);
        expect(decodeURIComponent(url.pathname.split('/')[6] as string)).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});
