import { parseJson, toClientFrame, toConsoleCommand } from '../../demo/server/validate';

describe('demo server input checks', () => {
  it('passes well-formed chat frames and refuses malformed ones', () => {
    expect(toClientFrame({ t: 'message', id: 'm1', text: 'hi' })).toEqual({ t: 'message', id: 'm1', text: 'hi' });
    expect(toClientFrame({ t: 'start', summary: ['a', 'b'] })).toEqual({ t: 'start', summary: ['a', 'b'] });
    expect(toClientFrame({ t: 'resume', token: 'tok', lastSeq: 3 })).toEqual({ t: 'resume', token: 'tok', lastSeq: 3 });
    for (const bad of [null, 'x', [], { t: 'message', id: 'm1' }, { t: 'message', id: '', text: 'x' }, { t: 'start', summary: [1] },
      { t: 'resume', token: 'tok', lastSeq: -1 }, { t: 'file', id: 'f', name: 'a.pdf', size: 'big', mimeType: 'x' }, { t: 'typing', on: 'yes' }, { t: 'nope' }]) {
      expect(toClientFrame(bad)).toBeUndefined();
    }
    expect(toClientFrame({ t: 'message', id: 'm1', text: 'x'.repeat(10_001) })).toBeUndefined();
  });

  it('passes well-formed console commands and says why it refuses the others', () => {
    expect(toConsoleCommand({ op: 'say', id: 'conv-1', text: 'Hello' })).toEqual({ op: 'say', id: 'conv-1', text: 'Hello' });
    expect(toConsoleCommand({ op: 'queue', id: 'conv-1', position: 3 })).toEqual({ op: 'queue', id: 'conv-1', position: 3 });
    expect(toConsoleCommand({ op: 'say', id: 'conv-1', text: '   ' })).toMatch(/"say" command has missing or malformed fields/);
    expect(toConsoleCommand({ op: 'drop', id: 'conv-1', outageMs: 600_000 })).toMatch(/malformed/);
    expect(toConsoleCommand({ op: 'fly', id: 'conv-1' })).toBe('unknown op "fly"');
    expect(toConsoleCommand({ op: 'end' })).toMatch(/needs an "op" and the conversation "id"/);
  });

  it('parses JSON or gives undefined', () => {
    expect(parseJson('{"a":1}')).toEqual({ a: 1 });
    expect(parseJson('{a')).toBeUndefined();
  });
});
