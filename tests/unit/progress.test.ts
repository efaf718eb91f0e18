import { describe, expect, it } from 'vitest';
import { progress } from '../../src/cli/progress.ts';

// The CLI's progress bar (src/cli/progress.ts): redrawn in place on a terminal; on anything else (a log
// file, a CI job) plain lines, at most one every two seconds, with no carriage returns.

function capture(isTTY: boolean) {
  const written: string[] = [];
  let now = 0;
  return {
    out: { isTTY, write: (text: string) => written.push(text) },
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    written,
  };
}

describe('progress bar', () => {
  it('on a terminal, redraws one line in place with the total, the count and the rate', () => {
    const t = capture(true);
    const bar = progress('rebuilding', 1000, t.out, t.clock);
    t.advance(500);
    bar.update(250);
    t.advance(500);
    bar.update(500);
    t.advance(1000);
    const { seconds } = bar.done(1000);
    expect(seconds).toBe(2);
    expect(t.written).toEqual([
      `\rrebuilding [${'#'.repeat(8)}${'.'.repeat(22)}] 250/1000 (500/s)`,
      `\rrebuilding [${'#'.repeat(15)}${'.'.repeat(15)}] 500/1000 (500/s)`,
      `\rrebuilding [${'#'.repeat(30)}] 1000/1000 (500/s)\n`,
    ]);
  });

  it('elsewhere, plain lines every two seconds and a last one, never a carriage return', () => {
    const t = capture(false);
    const bar = progress('rebuilding', null, t.out, t.clock);
    for (let i = 1; i <= 50; i++) {
      t.advance(100);
      bar.update(i * 100);
    }
    bar.done(5000);
    // 5 seconds of updates every 100 ms: the first, then one each two seconds, then the last
    expect(t.written).toEqual([
      'rebuilding 100 (1000/s)\n',
      'rebuilding 2200 (1000/s)\n',
      'rebuilding 4300 (1000/s)\n',
      'rebuilding 5000 (1000/s)\n',
    ]);
    expect(t.written.join('')).not.toContain('\r');
  });
});
