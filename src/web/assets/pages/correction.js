import { ApiError, api, preview, seg } from '../api.js';
import { announce, DECISION, emptyState, errorPanel, field, fmtDate, h, section } from '../dom.js';
import { eventLink } from './shared.js';

// An admin corrects a mark by appending a MarkCorrected event that names the mark it corrects and says
// why; nothing is edited. The form lists the marks that stand (the head of each mark's chain: only that
// one may be corrected). Before anything is sent, the ledger previews the correction (the same decider,
// nothing appended): the decision before and after, and whether a conferred award will go to review;
// only then may it be appended, and afterwards the page shows what changed.

function marksThatStand(credits) {
  return credits.modules.flatMap((m) =>
    m.attempts
      .filter((a) => a.chain)
      .map((a) => ({
        eventId: a.chain.headEventId,
        label: `${m.moduleCode} attempt ${a.attempt}: ${a.mark} (${a.ratified ? 'ratified' : 'provisional'}), ${m.title}`,
      })),
  );
}

export function correctionSection(data, { result, onCorrected }) {
  const studentId = data.record.studentId;
  const marks = marksThatStand(data.credits);
  const intro = h(
    'p',
    {},
    'A correction is appended to the record with its reason; the original mark and every earlier step stay in the history. If the exam board had ratified the mark, the corrected mark is provisional until it ratifies again.',
  );
  const shown = result ? resultPanel(studentId, result) : null;
  if (marks.length === 0)
    return section('Correct a mark', intro, shown, emptyState('There are no marks to correct yet.'));

  const target = field(
    'Mark to correct',
    h(
      'select',
      { name: 'correctsEventId', class: 'input input--wide' },
      marks.map((m) => h('option', { value: m.eventId }, m.label)),
    ),
  );
  const mark = field(
    'Corrected mark',
    h('input', {
      type: 'number',
      name: 'correctedMark',
      min: 0,
      max: 100,
      step: 1,
      inputmode: 'numeric',
      class: 'input input--short',
    }),
    { hint: 'A whole number from 0 to 100.' },
  );
  const reason = field(
    'Reason for the correction',
    h('textarea', { name: 'reason', rows: 3, class: 'input input--wide' }),
    {
      hint: 'Recorded with the correction and shown in the history, e.g. "Moderation found an arithmetic error".',
    },
  );
  const fields = { correctsEventId: target, correctedMark: mark, reason };
  const problem = h('div', {});
  const previewButton = h('button', { type: 'submit', class: 'button' }, 'Preview the correction');
  const effect = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'form', novalidate: true, 'data-testid': 'correction-form' },
    target.wrap,
    mark.wrap,
    reason.wrap,
    problem,
    previewButton,
    effect,
  );
  const bodyOf = () => {
    const raw = mark.control.value.trim();
    return {
      correctsEventId: target.control.value,
      correctedMark: raw === '' ? null : Number(raw),
      reason: reason.control.value,
    };
  };
  // What was previewed is what is sent: a change to the form asks for a new preview first.
  for (const f of Object.values(fields)) f.control.addEventListener('input', () => effect.replaceChildren());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const f of Object.values(fields)) f.setError(null);
    problem.replaceChildren();
    effect.replaceChildren();
    const body = bodyOf();
    previewButton.disabled = true;
    try {
      const answer = await preview(studentId, 'correctMark', body);
      const append = h('button', { type: 'button', class: 'button' }, 'Append the correction');
      const panel = previewPanel(answer, append);
      effect.replaceChildren(panel);
      panel.focus();
      append.addEventListener('click', async () => {
        append.disabled = true;
        try {
          const before = { decision: data.decision, credits: data.credits };
          const response = await api(`/students/${seg(studentId)}/correct-mark`, { method: 'POST', body });
          announce('Correction appended.');
          await onCorrected({ before, response });
        } catch (error) {
          effect.replaceChildren();
          showError(error, fields, problem);
        }
      });
    } catch (error) {
      showError(error, fields, problem);
    } finally {
      previewButton.disabled = false;
    }
  });

  return section('Correct a mark', intro, shown, form);
}

const outcomeWords = (d) => (d ? (DECISION[d.outcome]?.text ?? d.outcome) : 'no decision');

/** The effect of the correction, decided by the ledger without appending it. */
function previewPanel(answer, append) {
  const e = answer.events[0]?.data;
  const review = answer.review;
  const awardText = (award) => DECISION[award]?.text ?? award;
  const conferred = review.title ?? awardText(review.award);
  const reviewText = {
    'no-award': 'No award has been conferred, so none goes to review.',
    'award-stands': `The conferred ${conferred} (${fmtDate(review.conferredOn)}) stands: the decision on its date does not change.`,
    'would-go-to-review': `The conferred ${conferred} (${fmtDate(review.conferredOn)}) will go to registry review: on its date the decision would be ${awardText(review.decisionOnAwardDate)}. The award stands until the registry resolves the review.`,
    'already-under-review': `The conferred ${conferred} (${fmtDate(review.conferredOn)}) is already under registry review.`,
  }[review.state];
  return h(
    'div',
    {
      class: `message ${review.state === 'would-go-to-review' ? 'message--warning' : 'message--info'}`,
      role: 'status',
      tabindex: '-1',
      'data-testid': 'correction-preview',
    },
    h('h3', { class: 'message__title' }, 'Before you append: the effect of this correction'),
    e
      ? h(
          'p',
          {},
          `${e.moduleCode} attempt ${e.attempt}: ${e.previousMark} would become ${e.correctedMark}. Nothing has been recorded yet.`,
        )
      : null,
    h(
      'p',
      { 'data-testid': 'preview-decision' },
      'Decision: ',
      h('strong', {}, outcomeWords(answer.before)),
      ' now, ',
      h('strong', {}, outcomeWords(answer.after)),
      ' after. Credits: ',
      answer.before ? `${answer.before.creditsEarned} of ${answer.before.creditsRequired}` : 'none',
      ' now, ',
      answer.after ? `${answer.after.creditsEarned} of ${answer.after.creditsRequired}` : 'none',
      ' after.',
    ),
    h('p', { 'data-testid': 'preview-review' }, reviewText),
    h('div', { class: 'button-row' }, append),
  );
}

/** Field issues next to their fields; anything else (a refusal, a conflict) above the button. */
function showError(error, fields, problem) {
  const issues = error instanceof ApiError ? error.issues : [];
  const placed = issues.filter((issue) => fields[issue.field]);
  for (const issue of placed) fields[issue.field].setError(issue.reason);
  if (placed.length === 0 || placed.length < issues.length) {
    const panel = errorPanel(error);
    panel.setAttribute('tabindex', '-1');
    problem.replaceChildren(panel);
  }
  const first = placed[0] ? fields[placed[0].field].control : problem.firstElementChild;
  first?.focus();
}

function resultPanel(studentId, { before, response, after }) {
  const outcome = outcomeWords;
  const credits = (c) => (c ? `${c.earned} of ${c.required}` : 'none');
  return h(
    'div',
    { class: 'message message--success', role: 'status', tabindex: '-1', 'data-testid': 'correction-result' },
    h('h3', { class: 'message__title' }, 'Correction appended'),
    h(
      'ul',
      { class: 'plain-list' },
      response.events.map((e) =>
        h(
          'li',
          {},
          `${e.data.moduleCode} attempt ${e.data.attempt}: ${e.data.previousMark} corrected to ${e.data.correctedMark}, because "${e.data.reason}" (`,
          eventLink(studentId, e, 'see it in the history'),
          ').',
        ),
      ),
    ),
    h(
      'p',
      { 'data-testid': 'correction-decision-change' },
      'Decision: ',
      h('strong', {}, outcome(before.decision)),
      ' before, ',
      h('strong', {}, outcome(after.decision)),
      ' now. Credits: ',
      credits(before.credits),
      ' before, ',
      credits(after.credits),
      ' now.',
    ),
  );
}
