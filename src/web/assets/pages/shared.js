import { allPages, seg } from '../api.js';
import {
  badge,
  DECISION,
  facts,
  fmtDate,
  h,
  link,
  MODULE_STATUS,
  occurredOn,
  RULE,
  shortId,
  table,
} from '../dom.js';
import { figureLabel, figureValue } from './words.js';

// Pieces more than one page shows: a student's name, the credits, the modules and marks, and the
// decision with its rule-by-rule explanation (exactly what the API computed: nothing is re-derived here).

export const studentName = (name, studentId) => name ?? `Student ${shortId(studentId)}`;

/** Names of the students this user may read (null names for examiners), by student id; of one cohort if given. */
export async function studentDirectory(cohortId) {
  const { students } = await allPages('/students', { cohortId }, ['students']);
  return new Map(students.map((s) => [s.studentId, s]));
}

export function studentLink(directory, studentId) {
  return link(`#/students/${seg(studentId)}`, studentName(directory.get(studentId)?.name ?? null, studentId));
}

export function creditsMeter(earned, required, provisional = earned, { figures = true } = {}) {
  return h(
    'span',
    { class: 'credits' },
    h('meter', { min: 0, max: required, value: earned, 'aria-hidden': 'true' }),
    figures ? h('span', {}, `${earned} / ${required}`) : null,
    provisional > earned
      ? h('span', { class: 'muted small' }, ` (${provisional} once the provisional passes are ratified)`)
      : null,
  );
}

/** "AssignmentMarked" -> "Assignment marked" */
export const typeWords = (type) =>
  String(type)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase())
    .replace(/\b(qts|senco|apl|webex)\b/gi, (w) => ACRONYMS[w.toLowerCase()]);

const ACRONYMS = { qts: 'QTS', senco: 'SENCO', apl: 'APL', webex: 'WebEx' };

export const eventHref = (studentId, eventId) =>
  `#/students/${seg(studentId)}/history?event=${encodeURIComponent(eventId)}`;

export function eventLink(studentId, ref, text = `${typeWords(ref.type)}, ${fmtDate(occurredOn(ref))}`) {
  return link(eventHref(studentId, ref.eventId), text, {
    title: `event ${ref.eventId}, position ${ref.position}`,
  });
}

export function figuresList(rule, figures) {
  const entries = Object.entries(figures ?? {});
  if (entries.length === 0) return h('span', { class: 'muted' }, 'none');
  return facts(
    entries.map(([k, v]) => [figureLabel(rule, k), figureValue(k, v)]),
    'figures',
  );
}

/** The events a rule used, as links to the history; a long list folds away. */
export function eventLinks(studentId, refs) {
  if (!refs?.length) return h('span', { class: 'muted' }, 'none');
  const list = (items) =>
    h(
      'ul',
      { class: 'plain-list' },
      items.map((r) => h('li', {}, eventLink(studentId, r))),
    );
  if (refs.length <= 3) return list(refs);
  return h(
    'div',
    {},
    list(refs.slice(0, 2)),
    h('details', {}, h('summary', {}, `${refs.length - 2} more events`), list(refs.slice(2))),
  );
}

export function markCell(studentId, attempt) {
  if (attempt.mark === null)
    return h(
      'span',
      { class: 'muted' },
      attempt.cappedAt === null ? 'not marked' : `not marked (to be capped at ${attempt.cappedAt})`,
    );
  const steps = attempt.chain?.steps ?? [];
  return h(
    'div',
    {},
    h('strong', { class: 'mark' }, String(attempt.effectiveMark)),
    attempt.cappedAt !== null
      ? h('span', { class: 'muted small' }, ` (capped at ${attempt.cappedAt})`)
      : null,
    steps.length
      ? h(
          'ul',
          { class: 'plain-list small' },
          steps.map((s) =>
            h(
              'li',
              {},
              eventLink(studentId, s.ref, `${s.kind} ${s.mark}`),
              s.kind === 'corrected' && s.reason ? h('span', { class: 'muted' }, `: ${s.reason}`) : null,
            ),
          ),
        )
      : null,
  );
}

export function standingCell(studentId, attempt) {
  if (attempt.mark === null) return '—';
  const ratified = attempt.chain?.ratified;
  if (attempt.ratified && ratified)
    return h(
      'div',
      {},
      h('span', { class: 'badge badge--good' }, 'Ratified'),
      h(
        'div',
        { class: 'small' },
        eventLink(studentId, ratified.ref, `${ratified.examBoardId}, ${fmtDate(ratified.boardDate)}`),
      ),
    );
  return h(
    'div',
    {},
    h('span', { class: 'badge badge--pending' }, 'Provisional'),
    attempt.changedAfterRatification
      ? h('div', { class: 'small' }, `changed after the board ratified ${ratified?.mark ?? 'it'}`)
      : null,
  );
}

/** Modules and marks: one row per attempt (a module without one has a single row). */
export function modulesTable(studentId, credits, caption = 'Modules and marks', captionHidden = false) {
  const rows = credits.modules.flatMap((m) => {
    const attempts = m.attempts.length ? m.attempts : [null];
    return attempts.map((a, i) => [
      i === 0
        ? h('span', {}, h('span', { class: 'code' }, m.moduleCode), ` ${m.title}`)
        : h('span', { class: 'muted' }, `${m.moduleCode} resubmission`),
      i === 0 ? `${m.credits}` : '',
      i === 0 ? (m.passMark === null ? 'pass/fail' : `${m.passMark}`) : '',
      a ? `${a.attempt} of ${m.attemptsAllowed}` : '—',
      a
        ? markCell(studentId, a)
        : m.apl
          ? `${m.apl.route} claim ${m.apl.claimId}`
          : h('span', { class: 'muted' }, 'no attempt'),
      a ? standingCell(studentId, a) : '—',
      i === 0 ? badge(MODULE_STATUS, m.status) : '',
    ]);
  });
  return table({
    caption,
    captionHidden,
    columns: ['Module', 'Credits', 'Pass mark', 'Attempt', 'Mark', 'Exam board', 'Module status'],
    rows,
    className: 'table--modules',
  });
}

export function rulesTable(studentId, decision) {
  return table({
    caption: `The ${decision.rules.length} rules, in the order they are evaluated`,
    columns: ['Rule', 'Outcome', 'Why', 'Figures', 'Events behind it'],
    className: 'table--rules',
    rows: decision.rules.map((r) => ({
      attrs: { 'data-rule': r.rule },
      cells: [
        h('div', {}, h('span', {}, r.title), h('div', { class: 'muted small' }, r.source)),
        badge(RULE, r.outcome),
        h(
          'div',
          {},
          h('p', {}, r.reason),
          r.outstanding.length
            ? h(
                'ul',
                { class: 'outstanding small' },
                r.outstanding.map((o) => h('li', {}, o)),
              )
            : null,
        ),
        figuresList(r.rule, r.figures),
        eventLinks(studentId, r.events),
      ],
    })),
  });
}

const DUTY = { yes: 'Satisfied', no: 'Not satisfied', 'not-yet': 'Not yet' };

/** The decision's outcome, summary, statutory effect and where it was evaluated, above its rules. */
export function decisionSummary(decision) {
  return h(
    'div',
    { class: 'decision' },
    h(
      'p',
      { class: 'decision__outcome' },
      badge(DECISION, decision.outcome, { 'data-testid': 'decision-outcome' }),
      ' ',
      h('span', { 'data-testid': 'decision-summary' }, decision.summary),
    ),
    facts([
      ...(decision.awards?.length > 1 ? [['Awards', decision.awards.join('; ')]] : []),
      ...(decision.duty
        ? [
            [
              'Statutory duty (reg. 49)',
              h(
                'span',
                { 'data-testid': 'decision-duty' },
                `${DUTY[decision.duty.satisfies]}: ${decision.duty.reason}`,
                decision.duty.wouldSatisfy ? ` What would: ${decision.duty.wouldSatisfy}.` : '',
              ),
            ],
          ]
        : []),
      ['Evaluated on', fmtDate(decision.evaluatedOn)],
      [
        'Specification',
        `${decision.specification.title} (${decision.specification.programmeId}, version ${decision.specification.version})`,
      ],
      ['Outcome framework', `${decision.framework.frameworkId}, version ${decision.framework.version}`],
      ['As of', `log position ${decision.asOf.position}, stream revision ${decision.asOf.streamRevision}`],
      ['Digest', h('code', { class: 'digest', title: decision.digest }, decision.digest.slice(0, 16))],
    ]),
    decision.outstanding.length
      ? h(
          'div',
          {},
          h('h3', {}, `Outstanding (${decision.outstanding.length})`),
          h(
            'ul',
            { class: 'outstanding' },
            decision.outstanding.map((o) => h('li', {}, o)),
          ),
        )
      : null,
  );
}
