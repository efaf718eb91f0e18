import { isDeepStrictEqual } from 'node:util';
import { zodIssues } from '../../events/index.ts';
import { type ProgrammeSpecification, parseSpecification } from '../../events/programme-specification.ts';
import { invalid, LedgerError, notFound } from '../errors.ts';
import { OutcomeFramework } from './outcomes/schema.ts';

// The reference data the rules read: programme specifications and outcome frameworks, each keyed by id
// and version. A published version never changes: adding a different document under an existing id
// and version is refused, so an old decision is always evaluated against what the student enrolled on.
// The documents are handed in (src/app/reference-files.ts reads the files): the domain reads no disk.

/** A document to load, with where it came from (a file name), for the field names of its errors. */
export interface ReferenceDocument {
  origin: string;
  value: unknown;
}

const key = (id: string, version: number) => `${id}@${version}`;

export class ReferenceData {
  private readonly specs = new Map<string, ProgrammeSpecification>();
  private readonly frameworks = new Map<string, OutcomeFramework>();

  /** Frameworks first, as every specification names the framework version it is judged against. */
  static of(documents: {
    frameworks: ReferenceDocument[];
    specifications: ReferenceDocument[];
  }): ReferenceData {
    const data = new ReferenceData();
    for (const doc of documents.frameworks) data.addFramework(doc.value, doc.origin);
    for (const doc of documents.specifications) data.addSpecification(doc.value, doc.origin);
    return data;
  }

  addFramework(document: unknown, origin = 'framework'): OutcomeFramework {
    const parsed = OutcomeFramework.safeParse(document);
    if (!parsed.success) throw invalid('invalid_framework', zodIssues(parsed.error, origin));
    const f = parsed.data;
    const existing = this.frameworks.get(key(f.frameworkId, f.version));
    if (existing && !isDeepStrictEqual(existing, f)) {
      throw new LedgerError(
        'conflict',
        'framework_version_exists',
        `framework ${f.frameworkId} version ${f.version} is already published with different content: publish a new version`,
      );
    }
    this.frameworks.set(key(f.frameworkId, f.version), f);
    return f;
  }

  /** Validates a specification and checks it can be published, without adding it. */
  checkSpecification(document: unknown, origin = 'specification'): ProgrammeSpecification {
    return this.addSpecification(document, origin, true);
  }

  addSpecification(document: unknown, origin = 'specification', dryRun = false): ProgrammeSpecification {
    // a document of an older schema version is lifted to the current one (same meaning) before it is judged
    const parsed = parseSpecification(document);
    if (!parsed.success) throw invalid('invalid_specification', zodIssues(parsed.error, origin));
    const spec = parsed.data;
    if (!this.frameworks.has(key(spec.outcomes.frameworkId, spec.outcomes.frameworkVersion))) {
      throw invalid('unknown_framework', [
        {
          field: `${origin}.outcomes.frameworkId`,
          reason: `no framework ${spec.outcomes.frameworkId} version ${spec.outcomes.frameworkVersion} is loaded`,
        },
      ]);
    }
    const existing = this.specs.get(key(spec.programmeId, spec.version));
    if (existing && !isDeepStrictEqual(existing, spec)) {
      throw new LedgerError(
        'conflict',
        'specification_version_exists',
        `specification ${spec.programmeId} version ${spec.version} is already published with different content: publish a new version`,
      );
    }
    if (!dryRun) this.specs.set(key(spec.programmeId, spec.version), spec);
    return spec;
  }

  specification(programmeId: string, version: number): ProgrammeSpecification {
    const spec = this.specs.get(key(programmeId, version));
    if (!spec) throw notFound('unknown_specification', `no specification ${programmeId} version ${version}`);
    return spec;
  }

  findSpecification(programmeId: string, version: number): ProgrammeSpecification | undefined {
    return this.specs.get(key(programmeId, version));
  }

  latestSpecification(programmeId: string): ProgrammeSpecification | undefined {
    let latest: ProgrammeSpecification | undefined;
    for (const spec of this.specs.values()) {
      if (spec.programmeId === programmeId && (!latest || spec.version > latest.version)) latest = spec;
    }
    return latest;
  }

  framework(frameworkId: string, version: number): OutcomeFramework {
    const f = this.frameworks.get(key(frameworkId, version));
    if (!f) throw notFound('unknown_framework', `no outcome framework ${frameworkId} version ${version}`);
    return f;
  }

  listSpecifications(): ProgrammeSpecification[] {
    return [...this.specs.values()].sort((a, b) =>
      a.programmeId === b.programmeId ? a.version - b.version : a.programmeId < b.programmeId ? -1 : 1,
    );
  }

  listFrameworks(): OutcomeFramework[] {
    return [...this.frameworks.values()];
  }
}
