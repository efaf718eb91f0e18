import { api, qs, seg } from '../api.js';
import { announce, badge, emptyState, fill, fmtDate, h, pageHeader, plural, section } from '../dom.js';
import { evidenceSection, signOffForm } from './outcome-forms.js';
import { studentName } from './shared.js';

// A student's sign-off workbook (PebblePad's is the model): the framework's outcomes, part by part, each
// with the evidence submitted towards it and whether it is signed off, due or overdue against the
// programme's time limit. An assessor signs an outcome off by ticking the evidence it rests on (never by
// typing an event id), and may add evidence first. Each is the student command of that name.
// The URL may ask for only the outcomes still to sign off (?show=open).

export const OUTCOME_STATUS = {
  'signed-off': { text: 'Signed off', tone: 'good' },
  'signed-off-late': { text: 'Signed off after the limit', tone: 'bad' },
  due: { text: 'Due', tone: 'pending' },
  overdue: { text: 'Overdue', tone: 'bad' },
};

export async function outcomesPage({ params: [studentId], query, me }) {
  const base = `/students/${seg(studentId)}`;
  const [record, workbook] = await Promise.all([api(base), api(`${base}/outcomes`)]);
  const name = studentName(record.personal?.fullName ?? null, studentId);
  const maySign = me.may.includes('signOffOutcome');
  const mayAdd = me.may.includes('submitOutcomeEvidence');
  const closed = workbook.status === 'withdrawn';
  const el = h('div', {});
  let data = workbook;
  let only = query.get('show') === 'open';

  const deadline = data.deadline
    ? `Every outcome must be signed off by ${fmtDate(data.deadline.deadline)} (counted from ${fmtDate(data.deadline.from)}${data.deadline.extended ? ', extended by registry' : ''}).`
    : 'This programme sets no time limit for signing off outcomes.';
  const crumbs = me.role === 'student' ? [] : [['#/students', 'Students']];
  crumbs.push([`#/students/${seg(studentId)}`, name]);
  const header = pageHeader(`Learning outcomes: ${name}`, {
    crumbs,
    lead: `${data.framework.title}, version ${data.framework.version}. ${deadline}`,
  });

  const toggle = h('input', { type: 'checkbox', id: 'only-open', checked: only });
  toggle.addEventListener('change', () => {
    only = toggle.checked;
    history.replaceState(
      null,
      '',
      `#/students/${seg(studentId)}/outcomes${qs({ show: only ? 'open' : null })}`,
    );
    drawParts();
  });
  const partsHolder = h('div', {});
  const summary = h('div', {});
  const drawSummary = () =>
    summary.replaceChildren(
      h(
        'ul',
        { class: 'inline-list counts', 'aria-label': 'Outcomes by status', 'data-testid': 'outcome-counts' },
        Object.entries(OUTCOME_STATUS).map(([code]) =>
          h('li', {}, badge(OUTCOME_STATUS, code), ` ${data.counts[code]}`),
        ),
      ),
    );
  const drawParts = (focusCode = null) => {
    partsHolder.replaceChildren(...data.parts.map((part) => partSection(part)));
    if (focusCode) partsHolder.querySelector(`[data-outcome="${focusCode}"] th`)?.focus();
  };
  async function reload(focusCode, text) {
    data = await api(`${base}/outcomes`);
    drawSummary();
    drawParts(focusCode);
    announce(text);
  }

  function partSection(part) {
    const outcomes = part.areas.flatMap((a) => a.outcomes.map((o) => ({ ...o, area: a })));
    const shown = only ? outcomes.filter((o) => o.status === 'due' || o.status === 'overdue') : outcomes;
    return section(
      `${part.code}: ${part.title}`,
      shown.length === 0
        ? emptyState('Every outcome in this part is signed off.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table table--outcomes' },
              h('caption', { class: 'visually-hidden' }, `Outcomes of part ${part.code}`),
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  ['Outcome', 'Evidence', 'Status', maySign && !closed ? 'Sign off' : 'Signed off'].map((c) =>
                    h('th', { scope: 'col' }, c),
                  ),
                ),
              ),
              h(
                'tbody',
                {},
                shown.map((o) => outcomeRow(o)),
              ),
            ),
          ),
    );
  }

  function outcomeRow(o) {
    const evidence = o.evidence.length
      ? h(
          'ul',
          { class: 'plain-list small' },
          o.evidence.map((e) =>
            h(
              'li',
              {},
              `${e.kind}: ${e.reference}${e.summary ? ` (${e.summary})` : ''}, ${fmtDate(e.submittedOn)}`,
            ),
          ),
        )
      : h('span', { class: 'muted' }, 'none yet');
    let last;
    if (o.signOff) last = h('span', { class: 'small' }, `${fmtDate(o.signOff.on)} by ${o.signOff.assessor}`);
    else if (!maySign || closed) last = h('span', { class: 'muted small' }, 'not yet');
    else if (o.evidence.length === 0)
      last = h('span', { class: 'muted small' }, 'Add evidence first (below).');
    else last = signOffForm(studentId, o, reload);
    return h(
      'tr',
      { 'data-outcome': o.code },
      h(
        'th',
        { scope: 'row', 'data-label': 'Outcome', tabindex: '-1' },
        h('span', { class: 'code' }, o.code),
        ` ${o.title}`,
        h('div', { class: 'small muted' }, `${o.area.code}: ${o.area.title}`),
      ),
      h('td', { 'data-label': 'Evidence' }, evidence),
      h(
        'td',
        { 'data-label': 'Status' },
        badge(OUTCOME_STATUS, o.status),
        o.revocations.length
          ? h('div', { class: 'small' }, `A sign-off was revoked: ${o.revocations.at(-1).reason}`)
          : null,
      ),
      h('td', { 'data-label': 'Sign off' }, last),
    );
  }

  drawSummary();
  drawParts();
  fill(
    el,
    header,
    closed
      ? h(
          'div',
          { class: 'message message--info', role: 'note' },
          h('p', {}, 'This student has withdrawn: nothing more can be signed off.'),
        )
      : null,
    summary,
    h(
      'p',
      { class: 'check' },
      toggle,
      h('label', { for: 'only-open' }, 'Show only the outcomes still to sign off'),
    ),
    partsHolder,
    mayAdd && !closed ? evidenceSection(studentId, data, reload) : null,
  );
  return { el };
}

export const outcomesSummary = (counts) =>
  `${counts['signed-off'] + counts['signed-off-late']} signed off, ${plural(counts.due, 'outcome')} due, ${counts.overdue} overdue`;
