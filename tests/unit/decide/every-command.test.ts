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

  it("list, in the README's refusals table, every code of the exam boards and of facts that cannot be true", () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const after = readme.slice(readme.indexOf('**Refusals of facts that cannot be true**')).split('\n');
    const first = after.findIndex((l) => l.startsWith('|'));
    const end = after.findIndex((l, i) => i > first && !l.startsWith('|'));
    const listed = new Set(
      after
        .slice(first + 2, end)
        .flatMap((l) => [...l.split(' | ')[0]!.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!)),
    );
    const raised = (file: string) =>
      (readFileSync(new URL(file, deciders), 'utf8').match(/'[a-z]+(?:_[a-z]+)+'/g) ?? []).map((c) =>
        c.slice(1, -1),
      );
    const mine = [
      ...raised('boards.ts'),
      ...raised('dates.ts'),
      'visit_before_application',
      'mark_before_submission',
    ];
    expect(mine.filter((c) => !listed.has(c))).toEqual([]);
    // and each code listed is one the ledger gives
    const source = [
      read(deciders, '.ts'),
      readFileSync(new URL('../../../src/http/registry.ts', import.meta.url), 'utf8'),
      readFileSync(new URL('../../../src/app/exam-board.ts', import.meta.url), 'utf8'),
      readFileSync(new URL('../../../src/app/token-subjects.ts', import.meta.url), 'utf8'),
    ].join('\n');
    expect([...listed].filter((c) => !source.includes(`'${c}'`))).toEqual([]);
  });
});
