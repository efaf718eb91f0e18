import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATA_AS_OF } from '../../bench/cohorts.ts';
import { SyntheticLog } from '../../bench/generate.ts';
import { decisionFor } from '../../projections/eligibility.ts';
import { loadReferenceData } from '../../src/app/reference-files.ts';
import { loadDemo } from '../../src/demo/load.ts';
import { testLedger } from '../support/ledger.ts';

// Behaviour that must not change by accident: the decision of every demo student and of 2,000 students
// from the benchmark's generator, as a digest each. A commit that changes a rule on purpose regenerates
// this file (GOLDEN_UPDATE=1 npx vitest run tests/scenario/golden-decisions.test.ts) and says why.

const GOLDEN = new URL('../golden/decisions.json', import.meta.url);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Random ids (the demo's) replaced by their order of first appearance, so the digest is stable. */
function stableDigest(decision: unknown): string {
  const aliases = new Map<string, string>();
  const text = JSON.stringify(decision, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)).replace(
    UUID,
    (id) => {
      if (!aliases.has(id)) aliases.set(id, `id${aliases.size}`);
      return aliases.get(id) as string;
    },
  );
  return createHash('sha256').update(text).digest('hex');
}

function view(d: {
  outcome: string;
  award: unknown;
  title: unknown;
  rules: unknown[];
  outstanding: unknown;
}) {
  // What an examiner reads: the outcome, the award, and each rule's outcome, figures and events.
  return {
    outcome: d.outcome,
    award: d.award,
    title: d.title,
    outstanding: d.outstanding,
    rules: (
      d.rules as { rule: string; outcome: string; figures: unknown; events: { eventId: string }[] }[]
    ).map((r) => [r.rule, r.outcome, r.figures, r.events.map((e) => e.eventId)]),
  };
}

async function current(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const { ledger } = await testLedger('2026-12-01');
  await loadDemo(ledger);
  const ids = ledger.queries.studentIds();
  const ordered = ids
    .map((id) => ({ id, first: ledger.queries.record(id).application?.ref.position ?? 0n }))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  ordered.forEach(({ id }, i) => {
    const d = ledger.queries.decision(id, '2026-12-01');
    out[`demo-${String(i).padStart(2, '0')}`] = d ? stableDigest(view(d)) : 'no-decision';
  });
  await ledger.stop();
  const reference = loadReferenceData();
  const log = new SyntheticLog(reference);
  for (let i = 0; i < 2000; i++) {
    const s = log.next().student;
    const d = decisionFor(s.record, reference, DATA_AS_OF);
    out[`generated-${String(i).padStart(4, '0')}`] = d ? stableDigest(view(d)) : 'no-decision';
  }
  return out;
}

describe('golden decisions', () => {
  it('every demo student and 2,000 generated students are decided as before', async () => {
    const now = await current();
    if (process.env.GOLDEN_UPDATE === '1' || !existsSync(GOLDEN)) {
      writeFileSync(GOLDEN, `${JSON.stringify(now, null, 1)}\n`);
      if (process.env.GOLDEN_UPDATE !== '1') throw new Error('golden file was missing: written, run again');
    }
    const before = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string>;
    const changed = Object.keys({ ...before, ...now }).filter((k) => before[k] !== now[k]);
    expect(changed, `decisions changed: ${changed.slice(0, 20).join(', ')}`).toEqual([]);
  }, 120_000);
});
