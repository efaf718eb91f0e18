import type { z } from 'zod';
import { refused } from '../errors.ts';
import { standingOf } from './cohort-register.ts';
import type { Ledger } from './ledger.ts';
import type { WorkbookView } from './staff-views-schema.ts';

// A student's sign-off workbook: the framework's outcomes (parts, areas, outcomes, in order) with, for
// each, the evidence submitted towards it, its sign-off, any revocation, and whether it is signed off,
// due or overdue against the specification's time limit for outcomes (seed 000: within 18 months of the
// first face-to-face day). The evidence's kind and reference are in the events' data, so the student's
// stream is read: one student, one read.

export type OutcomeStatus = 'signed-off' | 'signed-off-late' | 'due' | 'overdue';

export async function outcomeWorkbook(
  ledger: Ledger,
  studentId: string,
  on = ledger.queries.today(),
): Promise<z.infer<typeof WorkbookView>> {
  const record = ledger.queries.record(studentId);
  const enrolment = record.enrolment;
  if (!enrolment)
    throw refused(
      'not_enrolled',
      'the student is not enrolled on a cohort yet: there are no outcomes to sign off',
    );
  const framework = ledger.reference.framework(enrolment.frameworkId, enrolment.frameworkVersion);
  const limit = ledger.queries.deadlines(studentId, on).programme.outcomes;
  const evidence = new Map<
    string,
    { kind: string; reference: string; summary: string | null; submittedOn: string }
  >();
  const usedBy = new Map<string, string[]>();
  for (const e of await ledger.queries.streamEvents(studentId)) {
    if (e.type === 'OutcomeEvidenceSubmitted')
      evidence.set(e.eventId, {
        kind: e.data.evidence.kind,
        reference: e.data.evidence.reference,
        summary: e.data.evidence.summary ?? null,
        submittedOn: e.data.submittedOn,
      });
    if (e.type === 'OutcomeSignedOff')
      for (const id of e.data.evidenceEventIds) usedBy.set(id, [...(usedBy.get(id) ?? []), e.eventId]);
  }
  const counts: Record<OutcomeStatus, number> = { 'signed-off': 0, 'signed-off-late': 0, due: 0, overdue: 0 };
  const outcome = (code: string, title: string) => {
    const o = record.outcomes[code];
    // a sign-off against another version of the framework does not count (the outcomes rule says so)
    const signOff = o?.signOff && o.signOff.frameworkVersion === framework.version ? o.signOff : null;
    const status: OutcomeStatus = signOff
      ? limit && signOff.signedOffOn > limit.deadline
        ? 'signed-off-late'
        : 'signed-off'
      : limit && on > limit.deadline
        ? 'overdue'
        : 'due';
    counts[status]++;
    return {
      code,
      title,
      status,
      evidence: (o?.evidence ?? []).map((ev) => ({
        eventId: ev.eventId,
        ...(evidence.get(ev.eventId) ?? {
          kind: 'other',
          reference: '',
          summary: null,
          submittedOn: ev.submittedOn,
        }),
        usedBySignOffs: usedBy.get(ev.eventId) ?? [],
      })),
      signOff: signOff
        ? {
            on: signOff.signedOffOn,
            assessor: signOff.assessorId,
            frameworkVersion: signOff.frameworkVersion,
            eventId: signOff.ref.eventId,
          }
        : null,
      revocations: (o?.revocations ?? []).map((r) => ({
        reason: r.reason,
        on: r.revokedOn,
        eventId: r.ref.eventId,
      })),
    };
  };
  const parts = framework.parts.map((p) => ({
    code: p.code,
    title: p.title,
    areas: p.areas.map((a) => ({
      code: a.code,
      title: a.title,
      outcomes: a.outcomes.map((o) => outcome(o.code, o.title)),
    })),
  }));
  return {
    studentId,
    status: standingOf(record),
    cohortId: enrolment.cohortId,
    evaluatedOn: on,
    framework: {
      frameworkId: framework.frameworkId,
      version: framework.version,
      title: framework.title,
      source: framework.source,
    },
    deadline: limit ? { ...limit } : null,
    counts,
    parts,
  };
}
