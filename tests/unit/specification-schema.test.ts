import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toLedgerEvent } from '../../events/index.ts';
import {
  ProgrammeSpecification,
  parseSpecification,
  SPECIFICATION_SCHEMA_VERSION,
} from '../../events/programme-specification.ts';
import { upcastSpecification } from '../../events/programme-specification-v1.ts';
import { BUILT_IN_SPECS, loadReferenceData } from '../../src/app/reference-files.ts';
import type { RecordedEvent } from '../../src/store/port.ts';

// The specification schema is versioned: documents of schema version 1 (the four seed programmes as first
// published) are lifted to version 2 with the same meaning, wherever they come from (a file, a stored
// publication event, a snapshot).

// biome-ignore lint/suspicious/noExplicitAny: a document compared field by field
type Spec = any;

const V1 = new URL('../fixtures/specifications-v1/', import.meta.url);
const v1Files = readdirSync(V1).filter((f) => f.endsWith('.json'));
const v1 = (file: string) => JSON.parse(readFileSync(new URL(file, V1), 'utf8')) as Record<string, unknown>;
const builtIn = (file: string) => JSON.parse(readFileSync(`${BUILT_IN_SPECS}/${file}`, 'utf8'));

/** A specification without its provenance (where each value comes from), to compare what the values are. */
function values(spec: unknown): unknown {
  return JSON.parse(JSON.stringify(spec), (key, value) =>
    key === 'source' || key === 'providerDefault' ? undefined : value,
  );
}

describe('programme specification schema version 2', () => {
  it('lifts every version 1 document to a valid version 2 document', () => {
    expect(v1Files.length).toBe(4);
    for (const file of v1Files) {
      const lifted = parseSpecification(v1(file));
      expect(lifted.success, `${file}: ${lifted.error?.message}`).toBe(true);
      expect(lifted.data!.schemaVersion).toBe(SPECIFICATION_SCHEMA_VERSION);
      // version 1 knew one qualification, awarded by a university exam board, every assessment marked
      expect(lifted.data!.qualification.kind).toBe('national-award');
      expect(lifted.data!.modules.every((m) => m.assessment.grading === 'marked')).toBe(true);
      // version 1 could not be read as version 2 without the lift
      expect(ProgrammeSpecification.safeParse(v1(file)).success).toBe(false);
    }
  });

  it('keeps the meaning of the four seed specifications: the built-in files are their lift, but for the values set on purpose', () => {
    // issue 12 (programme rules from the documents): each value changed here, and why, is in the file's sources
    const onPurpose: Record<string, (d: Spec) => void> = {
      'blended-3module.v1.json': (d) => {
        d.attendance.catchUpFor = 'authorised-absence'; // seed 004 Q5, strict 100%: only an authorised absence
        d.awards.dual = [{ title: 'Postgraduate Certificate in Education (Special Needs and Inclusion)' }]; // 004 Q9
      },
      'bpn-bathspa.v1.json': (d) => {
        d.awards.dual = [{ title: 'Postgraduate Certificate in SEN Coordination' }]; // seed 000
        d.awards.exit = [{ title: 'Postgraduate Certificate in SEN Coordination' }]; // seed 000 (reading)
      },
      'sw-consortium.v1.json': (d) => {
        d.awards.dual = [{ title: 'Postgraduate Certificate (SEN Coordination)' }]; // seed 001
      },
      'experienced-bathspa.v1.json': (d) => {
        d.timeLimits.outcomes.lapses = false; // seed 002: the year is the expected length, not a lapse
      },
    };
    for (const file of v1Files) {
      const lifted = values(upcastSpecification(v1(file))) as Spec;
      onPurpose[file]!(lifted);
      const actual = values(builtIn(file)) as Spec;
      lifted.qualification.awardingBody.name = actual.qualification.awardingBody.name; // named from the seed
      expect(actual, file).toEqual(lifted);
    }
  });

  it('lifts a stored publication event of version 1', () => {
    const stored = {
      type: 'ProgrammeSpecificationPublished',
      schemaVersion: 1,
      data: { specification: v1('sw-consortium.v1.json') },
    } as unknown as RecordedEvent;
    const event = toLedgerEvent(stored);
    if (event.type !== 'ProgrammeSpecificationPublished') throw new Error('wrong type');
    expect(event.data.specification.schemaVersion).toBe(2);
    expect(ProgrammeSpecification.safeParse(event.data.specification).success).toBe(true);
  });

  it('loads a version 1 document (another provider’s file, say) as version 2, with its meaning', () => {
    const reference = loadReferenceData();
    const spec = reference.addSpecification({
      ...v1('blended-3module.v1.json'),
      programmeId: 'extra-provider',
    });
    expect(spec).toMatchObject({
      schemaVersion: 2,
      attendance: { catchUpFor: 'reported-absence' }, // version 1: a reported absence caught up counts
      awards: { dual: [], exit: [] },
    });
    expect(reference.specification('extra-provider', 1)).toEqual(spec);
  });

  it('refuses a pass mark on a pass/fail assessment, and none on a marked one, naming the field', () => {
    const doc = structuredClone(builtIn('sw-consortium.v1.json'));
    doc.modules[0].assessment.grading = 'pass-fail';
    doc.modules[1].assessment.passMark = null;
    const result = parseSpecification(doc);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'modules.0.assessment.passMark',
      'modules.1.assessment.passMark',
    ]);
  });

  it('refuses a limit without its source, naming the field', () => {
    const doc = structuredClone(builtIn('bpn-bathspa.v1.json'));
    delete doc.timeLimits.outcomes.source;
    delete doc.priorLearning.providerDefault;
    const result = parseSpecification(doc);
    expect(result.error!.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'priorLearning.providerDefault',
      'timeLimits.outcomes.source',
    ]);
  });
});
