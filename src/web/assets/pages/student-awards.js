import { api, seg } from '../api.js';
import { badge, DECISION, errorPanel, fmtDate, h, section } from '../dom.js';
import { eventLink } from './shared.js';

// The awards conferred on a student, each with the decision it rested on, and a check that each
// conferred decision is reproduced by recomputing it at its position in the log.

export function awardsSection(studentId, awards) {
  const result = h('div', { 'aria-live': 'polite' });
  const check = h(
    'button',
    { type: 'button', class: 'button button--secondary' },
    'Check the conferred decision is reproduced',
  );
  check.addEventListener('click', async () => {
    check.disabled = true;
    try {
      const { reproductions } = await api(`/students/${seg(studentId)}/reproduce`);
      result.replaceChildren(
        h(
          'ul',
          { class: 'plain-list' },
          reproductions.map((r) =>
            h(
              'li',
              { class: `message ${r.reproduced ? 'message--success' : 'message--error'}` },
              r.reproduced
                ? `Reproduced: recomputing the decision from the log at position ${r.decidedAt.position} (evaluated on ${fmtDate(r.decidedAt.evaluatedOn)}) gives the recorded digest ${r.recordedDigest.slice(0, 16)}.`
                : `Not reproduced: the recorded digest ${r.recordedDigest.slice(0, 16)} differs from the recomputed ${r.recomputedDigest.slice(0, 16)}.`,
            ),
          ),
        ),
      );
    } catch (error) {
      result.replaceChildren(errorPanel(error));
    } finally {
      check.disabled = false;
    }
  });
  return section(
    'Conferred awards',
    h(
      'ul',
      { class: 'plain-list' },
      awards.map((a) =>
        h(
          'li',
          { class: 'award' },
          h('strong', {}, a.title),
          ` conferred on ${fmtDate(a.conferredOn)} by exam board ${a.examBoardId} (`,
          eventLink(studentId, a.ref, 'the event'),
          `; decided at log position ${a.decidedAt.position}).`,
          a.withdrawn ? h('p', {}, badge(DECISION, 'withdrawn'), ` ${a.withdrawn.reason}`) : null,
          a.reviewResolved
            ? h('p', { class: 'small' }, `Review resolved: ${a.reviewResolved.resolution}`)
            : null,
        ),
      ),
    ),
    check,
    result,
  );
}
