import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cohortCommandDefinitions } from '../../../src/domain/cohort.ts';
import { commandNames } from '../../../src/domain/commands.ts';

// Every command has a given/when/then test in this folder, and every refusal code the deciders can give
// is expected by one: a new command or a new refusal without a test fails here.

const here = new URL('./', import.meta.url);
const deciders = new URL('../../../src/domain/decide/', import.meta.url);
const read = (dir: URL, suffix: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => readFileSync(new URL(f, dir), 'utf8'))
    .join('\n');

/** Codes a handler holds that no command can reach today, and why. */
const UNREACHABLE: Record<string, string> = {
  already_interrupted:
    'the status guard refuses study_interrupted first (interruptStudy is not accepted during one)',
};

describe('the decider tests', () => {
  const tests = read(here, '.test.ts');

  it('cover every command', () => {
    const names = [...commandNames, ...Object.keys(cohortCommandDefinitions)];
    expect(names.filter((n) => !tests.includes(`name: '${n}'`))).toEqual([]);
  });

  it('expect every refusal code the deciders give', () => {
    const codes = new Set(read(deciders, '.ts').match(/'[a-z]+(?:_[a-z]+)+'/g));
    expect(codes.size).toBeGreaterThan(50);
    const untested = [...codes]
      .map((c) => c.slice(1, -1))
      .filter((c) => !tests.includes(`'${c}'`) && !UNREACHABLE[c]);
    expect(untested).toEqual([]);
  });
});
