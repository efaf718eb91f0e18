import { command } from '../api.js';
import { announce, fmtDate, h, plural } from '../dom.js';
import { commandForm, dateInput, fieldsOf, numberInput, numberOf, select, textArea } from '../forms.js';
import { studentName } from './shared.js';

// The board's decisions for one student at a time: an outcome for a module (pass, refer, defer, fail,
// withdraw) and its decision on each mitigating-circumstances claim waiting for it. Each is the API's own
// command (record-board-outcome, decide-mitigating-circumstances): a refusal is shown beside the field it
// names and writes nothing.

export const OUTCOMES = [
  ['pass', 'Pass: the ratified mark is a pass'],
  ['refer', 'Refer: a resubmission, capped where the programme says so'],
  ['defer', 'Defer: set aside, sat again as a first sit'],
  ['fail', 'Fail: no further attempt'],
  ['withdraw', 'Withdraw: the board requires the student to withdraw'],
];

const REMEDIES = [
  ['', 'None (the claim is rejected)'],
  ['deferral', 'Deferral of a module attempt'],
  ['extension', 'Extension of a time limit'],
  ['resubmission-extension', "Extension of a resubmission's deadline"],
];

const LIMITS = [
  ['outcomes', 'Learning outcomes'],
  ['assignments', 'Assignments'],
  ['programme', 'The whole programme'],
];

const nameOf = (directory, studentId) => studentName(directory.get(studentId)?.name ?? null, studentId);
const success = (text) =>
  h(
    'p',
    { class: 'message message--success', role: 'status', tabindex: '-1', 'data-testid': 'board-decided' },
    text,
  );

/** One form for every member: choose the student, the module and the outcome. */
export function outcomeForm({ board, students, modules, directory, onDone }) {
  const choosable = students.filter((s) => s.outcome !== 'withdrawn');
  const fields = fieldsOf([
    [
      'studentId',
      'Student',
      select(
        'studentId',
        choosable.map((s) => [s.studentId, nameOf(directory, s.studentId)]),
        { blank: 'Choose the student' },
      ),
    ],
    [
      'moduleCode',
      'Module',
      select(
        'moduleCode',
        modules.map((m) => [m.code, `${m.code}: ${m.title}`]),
        { blank: 'Choose the module' },
      ),
    ],
    ['attempt', 'Attempt (optional)', numberInput('attempt', { min: 1 }), { hint: 'Empty: the latest.' }],
    ['outcome', 'Outcome', select('outcome', OUTCOMES, { blank: 'Choose the outcome' })],
    [
      'deadline',
      'Deadline for the next attempt',
      dateInput('deadline'),
      { hint: 'For a refer or a defer: on or after the board. Empty for the others.' },
    ],
    ['note', 'Note for the minutes (optional)', textArea('note', { rows: 2 })],
  ]);
  const holder = h('div', {});
  const { form } = commandForm({
    fields,
    withCode: true,
    submitText: 'Record the outcome',
    testId: 'outcome-form',
    onSubmit: async (f) => {
      const studentId = f.studentId.control.value;
      // the student is the route's path, not the body: the API cannot name a field it was never sent
      if (!studentId) {
        f.studentId.setError('choose the student');
        f.studentId.control.focus();
        return;
      }
      const attempt = numberOf(f.attempt.control);
      const note = f.note.control.value.trim();
      await command(studentId, 'recordBoardOutcome', {
        examBoardId: board.examBoardId,
        moduleCode: f.moduleCode.control.value || null,
        ...(attempt === null ? {} : { attempt }),
        outcome: f.outcome.control.value || null,
        ...(f.deadline.control.value ? { deadline: f.deadline.control.value } : {}),
        ...(note ? { note } : {}),
      });
      const text = `Outcome recorded for ${nameOf(directory, studentId)}: ${f.moduleCode.control.value}, ${f.outcome.control.value}.`;
      await onDone();
      const done = success(text);
      holder.replaceChildren(done);
      announce(text);
      done.focus();
      for (const key of ['attempt', 'deadline', 'note']) f[key].control.value = '';
    },
  });
  return {
    el: h('div', { class: 'board-outcome' }, holder, form),
    /** Chooses a student in the form and moves there (the standing table's "Record an outcome"). */
    choose(studentId) {
      fields.studentId.control.value = studentId;
      fields.studentId.control.focus();
    },
  };
}

/** A form per claim still waiting for a board, and the claims already decided. */
export function claimForms({ board, students, directory, onDone }) {
  const waiting = students.flatMap((s) =>
    s.claims.filter((c) => c.decision === null).map((c) => ({ student: s, claim: c })),
  );
  const decided = students.flatMap((s) =>
    s.claims.filter((c) => c.decision !== null).map((c) => ({ student: s, claim: c })),
  );
  return h(
    'div',
    { class: 'board-claims' },
    waiting.length
      ? waiting.map(({ student, claim }) => claimForm(board, student.studentId, claim, directory, onDone))
      : h('p', { class: 'muted' }, 'No mitigating-circumstances claim is waiting for a board.'),
    decided.length
      ? h(
          'div',
          {},
          h('h3', {}, `Decided (${decided.length})`),
          h(
            'ul',
            { class: 'plain-list', 'data-testid': 'claims-decided' },
            decided.map(({ student, claim }) =>
              h(
                'li',
                {},
                `${nameOf(directory, student.studentId)}, claim ${claim.claimId}: ${claim.decision.decision}`,
                claim.decision.remedy ? ` (${claim.decision.remedy})` : '',
                ` at ${claim.decision.examBoardId}`,
              ),
            ),
          ),
        )
      : null,
  );
}

function claimForm(board, studentId, claim, directory, onDone) {
  const modules = claim.affects.filter((a) => !a.startsWith('time limit'));
  const fields = fieldsOf([
    [
      'decision',
      'Decision',
      select(
        'decision',
        [
          ['accepted', 'Accepted'],
          ['rejected', 'Rejected'],
        ],
        { blank: 'Choose the decision' },
      ),
    ],
    ['remedy', 'Remedy', select('remedyKind', REMEDIES)],
    [
      'remedy.moduleCode',
      'Module',
      select(
        'remedyModule',
        modules.map((m) => [m, m]),
        { blank: 'Choose the module' },
      ),
    ],
    ['remedy.timeLimit', 'Time limit', select('remedyLimit', LIMITS, { blank: 'Choose the time limit' })],
    [
      'remedy.newDeadline',
      'New deadline',
      dateInput('remedyDeadline'),
      { hint: "A deferral's deadline for the deferred sit (optional), or an extension's new date." },
    ],
    ['reason', 'Reason, for the minutes', textArea('reason', { rows: 2 })],
  ]);
  const kind = fields.remedy.control;
  const show = () => {
    const k = kind.value;
    fields['remedy.moduleCode'].wrap.hidden = !(k === 'deferral' || k === 'resubmission-extension');
    fields['remedy.timeLimit'].wrap.hidden = k !== 'extension';
    fields['remedy.newDeadline'].wrap.hidden = k === '';
  };
  kind.addEventListener('input', show);
  show();
  const holder = h('div', {});
  const { form } = commandForm({
    fields,
    withCode: true,
    submitText: 'Record the decision',
    testId: `claim-form-${claim.claimId}`,
    onSubmit: async (f) => {
      const k = kind.value;
      const date = f['remedy.newDeadline'].control.value || null;
      const remedy =
        k === ''
          ? null
          : k === 'extension'
            ? { kind: k, timeLimit: f['remedy.timeLimit'].control.value || null, newDeadline: date }
            : k === 'deferral'
              ? { kind: k, moduleCode: f['remedy.moduleCode'].control.value || null, deadline: date }
              : { kind: k, moduleCode: f['remedy.moduleCode'].control.value || null, newDeadline: date };
      await command(studentId, 'decideMitigatingCircumstances', {
        claimId: claim.claimId,
        examBoardId: board.examBoardId,
        decision: f.decision.control.value || null,
        remedy,
        reason: f.reason.control.value.trim(),
      });
      announce(`Claim ${claim.claimId} decided.`);
      await onDone(
        `Claim ${claim.claimId} of ${nameOf(directory, studentId)} decided: ${f.decision.control.value}.`,
      );
    },
  });
  // a deferral names its date `deadline`, the extensions `newDeadline`: both go beside the one field
  fields['remedy.deadline'] = fields['remedy.newDeadline'];
  return h(
    'article',
    { class: 'claim', 'data-claim': claim.claimId },
    h('h3', {}, `${nameOf(directory, studentId)}: claim ${claim.claimId}`),
    h(
      'p',
      {},
      `Submitted ${fmtDate(claim.submittedOn)}; asks for ${claim.requested === 'deferral' ? 'a deferral' : 'an extension'}; affects ${claim.affects.join(', ')}.`,
    ),
    holder,
    form,
  );
}

export const outcomesSummary = (students) => {
  const n = students.reduce((sum, s) => sum + s.boardOutcomes.length, 0);
  return `${plural(n, 'outcome')} recorded at this board so far.`;
};
