import { fmtDate, MODULE_STATUS } from '../dom.js';

// Plain words for the figures each award rule reports (the API names them as the code does, e.g.
// `earnedIncludingProvisional`; a page never shows those names). A per-module figure (`M1.days`) is named
// with its module. A figure not listed here is still turned into words, never shown as a code.

const FIGURES = {
  earned: 'Credits earned (ratified marks and APL/RPL)',
  required: 'Required',
  earnedIncludingProvisional: 'Credits if the provisional passes are ratified',
  approved: 'Claims approved',
  counted: 'Claims counted towards credits',
  cap: 'Most modules APL/RPL may replace',
  deadline: 'Deadline',
  deadlineExtended: 'Deadline extended',
  extended: 'Extended',
  from: 'Counted from',
  evaluatedOn: 'Judged on',
  cohortId: 'Cohort',
  enrolledOn: 'Enrolled on',
  programmeId: 'Programme',
  specVersion: 'Specification version',
  eligible: 'Assessed as eligible',
  inductionCompleted: 'Statutory induction completed',
  inductionNeeded: 'Statutory induction needed',
  roleBasis: 'SENCO role confirmed by',
  attended: 'Days attended',
  recommendedStudyDays: 'Recommended study days',
  signedOff: 'Outcomes signed off',
  completeBefore: 'Must be completed before',
  startBefore: 'Must have started before',
  startedOn: 'Course started on',
  total: 'Partner-school days recorded',
  totalRequired: 'Partner-school days required',
  fallbackTitle: 'Award without QTS',
  status: 'QTS status',
  trnChecked: 'Teacher reference number checked',
  withdrawnOn: 'Withdrawn on',
  heldOn: 'Held on',
  outcome: 'Outcome',
  byCatchUp: 'Of which caught up after a reported absence',
  modulesReplacedByApl: 'Modules replaced by APL/RPL',
  satisfied: 'Sessions attended or caught up',
  absencesAuthorised: 'Absences registry authorised',
  expectedBy: 'Expected by (not a limit)',
  pausedDays: 'Days paused by interruptions of study',
  lapses: 'A hard limit',
  completedOn: 'Completed on',
  thresholdPercent: 'Threshold (%)',
};

// Within a rule, a bare name can mean different things.
const BY_RULE = {
  'webex-attendance': { required: 'WebEx sessions required' },
  'facilitated-days': { required: 'Facilitated days required' },
  'learning-outcomes': { required: 'Outcomes to sign off' },
  credits: { required: 'Credits required' },
  participation: { counted: 'Sessions and activities taken part in', of: 'Sessions and activities planned' },
  // the portfolio rule's figures are the specification's portfolio codes, each with its completion date
  portfolio: {
    pdp: 'Professional Development Portfolio, completed on',
    'e-portfolio': 'E-portfolio, completed on',
    'learning-log': 'Reflective learning log, completed on',
  },
};

const MODULE_FIGURES = {
  days: 'partner-school days recorded',
  required: 'partner-school days required',
  status: 'standing',
  mark: 'mark as it stands',
};

const VALUES = {
  'governing-body-designation': 'the governing body (designated SENCO)',
  'headteacher-support': 'the headteacher (aspiring SENCO)',
  pass: 'Pass',
  fail: 'Fail',
  referred: 'Referred',
};

/** "earnedIncludingProvisional" -> "earned including provisional": the last resort, never a code. */
const words = (key) =>
  String(key)
    .replace(/[._-]+/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

export function figureLabel(rule, key, portfolios = {}) {
  const module = /^([A-Za-z0-9]+)\.(days|required|status|mark)$/.exec(key);
  if (module) return `${module[1]}: ${MODULE_FIGURES[module[2]]}`;
  // a permitted resubmission's own deadline (assignments-time-limit): M2.2.deadline, M2.2.extended
  const resubmission = /^([A-Za-z0-9]+)\.(\d+)\.(deadline|extended)$/.exec(key);
  if (resubmission)
    return `${resubmission[1]} attempt ${resubmission[2]}: ${resubmission[3] === 'deadline' ? 'its own deadline' : 'deadline extended'}`;
  if (portfolios[key]) return `${portfolios[key]}, completed on`;
  if (rule === 'portfolio' && !BY_RULE.portfolio[key]) return `${words(key)}, completed on`;
  return BY_RULE[rule]?.[key] ?? FIGURES[key] ?? words(key);
}

export function figureValue(key, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return fmtDate(value);
  if (key.endsWith('.status')) return MODULE_STATUS[value]?.text ?? words(value);
  return VALUES[value] ?? String(value);
}
