// Schema version 1 of a programme specification (the National Award only: level 7, credits, marked
// assignments, WebEx "all sessions" or none, every outcome signed off) lifted to version 2 with the same
// meaning: the qualification is the National Award awarded by a university exam board, every assessment is
// marked and taken at any time, no participation threshold, no programme limit, no dual or exit award, and
// every time limit lapses. A version 1 document recorded no sources for most limits: they are said to be
// not recorded rather than invented.

type Doc = Record<string, unknown>;

const NOT_RECORDED = { source: 'not recorded (specification schema version 1)', providerDefault: false };

function liftTimeLimit(limit: unknown): Doc | null {
  if (!limit || typeof limit !== 'object') return null;
  const { from, source, ...rest } = limit as Doc;
  return {
    ...rest,
    // the first facilitated day always meant the programme's first day, the cohort's (seed 000)
    from: from === 'first-facilitated-day' ? 'cohort-first-facilitated-day' : from,
    lapses: true,
    source: typeof source === 'string' && source ? source : NOT_RECORDED.source,
    providerDefault: false,
  };
}

function withSource(part: unknown): Doc {
  const p = (part ?? {}) as Doc;
  return {
    ...p,
    source: typeof p.source === 'string' && p.source ? p.source : NOT_RECORDED.source,
    providerDefault: false,
  };
}

function liftModule(module: unknown): Doc {
  const m = module as Doc;
  const assessment = m.assessment as Doc;
  return {
    ...m,
    assessment: { ...assessment, grading: 'marked', taken: 'any-time', ...NOT_RECORDED },
    resubmission: { ...(m.resubmission as Doc), ...NOT_RECORDED },
  };
}

/** A version 1 document as version 2; any other value is returned as it is, for the schema to judge. */
export function upcastSpecification(document: unknown): unknown {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return document;
  const v1 = document as Doc;
  if (v1.schemaVersion !== undefined && v1.schemaVersion !== 1) return document;
  const { attendance, awards, timeLimits, ...rest } = v1;
  const a = (attendance ?? {}) as Doc;
  const { catchUpAfterReportedAbsence, ...attendanceRest } = a;
  const w = (awards ?? {}) as Doc;
  const t = (timeLimits ?? {}) as Doc;
  return {
    ...rest,
    schemaVersion: 2,
    qualification: {
      kind: 'national-award',
      awardingBody: {
        kind: 'university-exam-board',
        name: v1.provider,
        source: 'domain: the university exam board confers the award',
        providerDefault: false,
      },
    },
    creditBasis: NOT_RECORDED,
    modules: Array.isArray(v1.modules) ? v1.modules.map(liftModule) : v1.modules,
    priorLearning: withSource(v1.priorLearning),
    entry: {
      qts: 'required',
      source: 'seed 004 Q9; seed 001: QTS or QTLS needed for the Award',
      providerDefault: false,
    },
    attendance: {
      ...withSource(attendanceRest),
      catchUpFor: catchUpAfterReportedAbsence ? 'reported-absence' : 'none',
      catchUpBasis: catchUpAfterReportedAbsence ? NOT_RECORDED : null,
    },
    participation: null,
    partnerSchool: withSource(v1.partnerSchool),
    viva: withSource(v1.viva),
    outcomes: { ...(v1.outcomes as Doc) },
    timeLimits: {
      outcomes: liftTimeLimit(t.outcomes),
      assignments: liftTimeLimit(t.assignments),
      programme: null,
    },
    awards: {
      qualification: w.nationalAward,
      withoutQts: typeof w.withoutQts === 'string' ? { title: w.withoutQts, ...NOT_RECORDED } : null,
      dual: [],
      exit: [],
    },
  };
}
