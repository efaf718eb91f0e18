import { allPages } from '../api.js';
import { badge, DECISION, emptyState, fmtDate, h, occurredOn, pageHeader, plural, table } from '../dom.js';
import { resolveReviewForm } from './review-resolve.js';
import { eventLink, studentDirectory, studentLink, studentName, typeWords } from './shared.js';

// Conferred awards that a later event (a correction, a revoked sign-off) would now decide differently:
// the registry reviews each one. Registry staff and admins only.

export async function reviewsPage({ me }) {
  const resolve = me.may?.includes('resolveAwardReview');
  const [{ reviews }, directory] = await Promise.all([
    allPages('/reviews', {}, ['reviews']),
    studentDirectory(),
  ]);
  return {
    el: h(
      'div',
      {},
      pageHeader('Awards for registry review', {
        lead: 'A conferred award is flagged when a later event means the decision would now be different. The award stands until the registry resolves the review.',
      }),
      reviews.length
        ? table({
            caption: `${plural(reviews.length, 'award')} to review`,
            columns: [
              'Student',
              'Conferred',
              'Decision after that event',
              'Raised by',
              ...(resolve ? ['Resolve'] : []),
            ],
            rows: reviews.map((r) => [
              studentLink(directory, r.studentId),
              // the conferral names the award's kind; the qualification itself is the decision 'awarded'
              badge(DECISION, r.conferred === 'qualification' ? 'awarded' : r.conferred),
              badge(DECISION, r.decisionNow),
              h(
                'span',
                {},
                eventLink(r.studentId, r.raisedBy, typeWords(r.raisedBy.type)),
                ` by ${r.raisedBy.actor.id} (${r.raisedBy.actor.role}), ${fmtDate(occurredOn(r.raisedBy))}`,
              ),
              ...(resolve
                ? [resolveReviewForm(r, studentName(directory.get(r.studentId)?.name ?? null, r.studentId))]
                : []),
            ]),
          })
        : emptyState('No conferred award is waiting for review.'),
    ),
  };
}
