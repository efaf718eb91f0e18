import { command } from '../api.js';
import { announce, h } from '../dom.js';
import { commandForm, dateInput, fieldsOf, londonToday, textArea } from '../forms.js';

// Resolving a registry review from the Reviews page: the registry has looked at the award a later event
// flagged and keeps it (resolve-award-review, with a note for the record). Withdrawing an award instead
// is its own command, with its own reason.

export function resolveReviewForm(review, studentLabel) {
  const fields = fieldsOf([
    ['note', 'Why the award stands', textArea('note', { rows: 2 })],
    ['resolvedOn', 'Resolved on', dateInput('resolvedOn', londonToday())],
  ]);
  const holder = h('div', { class: 'review-resolve' });
  const { form } = commandForm({
    fields,
    withCode: true,
    submitText: 'Resolve: the award stands',
    testId: `resolve-${review.studentId}`,
    onSubmit: async (f) => {
      await command(review.studentId, 'resolveAwardReview', {
        awardEventId: review.awardEventId,
        note: f.note.control.value.trim(),
        resolvedOn: f.resolvedOn.control.value,
      });
      const text = `Review resolved for ${studentLabel}: the award stands.`;
      const done = h(
        'p',
        {
          class: 'message message--success',
          role: 'status',
          tabindex: '-1',
          'data-testid': 'review-resolved',
        },
        text,
      );
      holder.replaceChildren(done);
      announce(text);
      done.focus();
    },
  });
  holder.append(form);
  return holder;
}
