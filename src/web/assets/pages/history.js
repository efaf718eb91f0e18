import { api, qs, seg } from '../api.js';
import { emptyState, errorPanel, fmtDate, h, loading, occurredOn, pageHeader, section } from '../dom.js';
import {
  asStoodView,
  endOfLondonDay,
  lastStepBy,
  londonDateOf,
  modeOf,
  timelineEntry,
} from './history-parts.js';
import { examBoards, replayControls } from './history-replay.js';
import { studentName } from './shared.js';

// A student's history as a timeline, corrections linked both ways to what they correct, and a replay
// control: step through the events one by one, or jump to a date (an exam board's, say), and see the
// decision and credits as they stood then, next to how they stand now.
//
// The URL holds the replay's position (?step=12 or ?date=2024-07-12) and an event to show (?event=<id>),
// so a view can be bookmarked or sent to a colleague.

export async function historyPage({ params: [studentId], query, me }) {
  const base = `/students/${seg(studentId)}`;
  const [record, { steps }, now] = await Promise.all([
    api(base),
    api(`${base}/replay`),
    api(`${base}/decision`),
  ]);
  const name = studentName(record.personal?.fullName ?? null, studentId);
  const entries = steps.map((s) => s.entry);
  const byId = new Map(entries.map((e, i) => [e.ref.eventId, { entry: e, step: i + 1 }]));
  const boards = await examBoards(record, entries, me);

  const crumbs = me.role === 'student' ? [] : [['#/students', 'Students']];
  crumbs.push([`#/students/${seg(studentId)}`, name]);
  const header = pageHeader(`History of ${name}`, {
    crumbs,
    lead: `${entries.length} events in the order they were recorded. Corrections never change an earlier event: they are new events that name what they correct.`,
  });
  if (entries.length === 0)
    return { el: h('div', {}, header, emptyState('Nothing has been recorded for this student yet.')) };

  // ---- the timeline ----
  const items = entries.map((entry, i) => timelineEntry(studentId, entry, i + 1, byId));
  const corrected = items.filter((i) => i.matches('.is-correction, .is-changed'));
  const onlyCorrections = h('input', { type: 'checkbox', id: 'only-corrections' });
  const filterNote = h('span', { class: 'muted small', 'aria-live': 'polite' });
  onlyCorrections.addEventListener('change', () => {
    for (const item of items) item.hidden = onlyCorrections.checked && !corrected.includes(item);
    filterNote.textContent = onlyCorrections.checked
      ? `Showing ${corrected.length} of ${items.length} events.`
      : '';
  });
  const timeline = section(
    'Timeline',
    corrected.length
      ? h(
          'p',
          { class: 'check' },
          onlyCorrections,
          h('label', { for: 'only-corrections' }, 'Show only corrections and the events they changed'),
          ' ',
          filterNote,
        )
      : h('p', { class: 'muted small' }, 'Nothing in this history has been corrected.'),
    h('ol', { class: 'timeline', 'data-testid': 'timeline' }, items),
  );

  // ---- the replay control ----
  const defaultView = me.role === 'examiner' ? 'known' : 'happened';
  const {
    replay,
    slider,
    dateField,
    dateInput,
    dateForm,
    position,
    prev,
    next,
    latest,
    viewRadios,
    viewOf,
    asStood,
  } = replayControls({
    entries,
    boards,
    view: query.get('as') ?? defaultView,
    defaultView,
    onBoard: (b) => go({ date: b.date, as: viewOf() }),
  });
  for (const { radio } of viewRadios)
    radio.addEventListener('change', () => {
      if (mode.date) go({ date: mode.date, as: viewOf() });
    });

  // ---- behaviour ----
  let mode = modeOf(query, entries.length, defaultView);
  let asked = 0;
  const path = `/students/${seg(studentId)}/history`;

  function go(newMode) {
    mode = newMode;
    const q = mode.date ? { date: mode.date, as: mode.as } : { step: mode.step };
    history.replaceState(null, '', `#${path}${qs(q)}`);
    apply();
  }

  function apply() {
    const n = ++asked;
    const knownAt = mode.date ? endOfLondonDay(mode.date) : null;
    const recordedLater = (e) => knownAt !== null && new Date(e.ref.recordedAt) > knownAt;
    const included = !mode.date
      ? (_e, i) => i < mode.step
      : mode.as === 'known'
        ? (e) => !recordedLater(e)
        : (e) => occurredOn(e.ref) <= mode.date;
    items.forEach((item, i) => {
      const isIn = included(entries[i], i);
      item.classList.toggle('is-future', !isIn);
      const later = item.querySelector('.timeline__later');
      later.hidden = isIn || recordedLater(entries[i]);
      const recorded = item.querySelector('.timeline__recorded-later');
      recorded.hidden = !recordedLater(entries[i]);
      recorded.textContent = `Recorded later, on ${fmtDate(londonDateOf(entries[i].ref.recordedAt))}`;
      const current = !mode.date && i === mode.step - 1;
      item.classList.toggle('is-current', current);
      if (current) item.setAttribute('aria-current', 'step');
      else item.removeAttribute('aria-current');
    });
    if (mode.date) {
      dateInput.value = mode.date;
      slider.value = String(lastStepBy(entries, mode.date));
      slider.setAttribute('aria-valuetext', `As at ${fmtDate(mode.date)}`);
      const count = entries.filter((e) => included(e)).length;
      const after = entries.filter((e) => recordedLater(e)).length;
      const lateIn = entries.filter((e, i) => included(e, i) && recordedLater(e)).length;
      const were = (n) => `${n} ${n === 1 ? 'was' : 'were'} recorded later`;
      position.textContent =
        mode.as === 'known'
          ? `As known at the end of ${fmtDate(mode.date)}: ${count} of ${entries.length} events had been recorded; ${were(after)}.`
          : `As at ${fmtDate(mode.date)}: ${count} of ${entries.length} events had happened${lateIn ? `, of which ${were(lateIn)}` : ''}.`;
    } else {
      slider.value = String(mode.step);
      const step = steps[mode.step - 1];
      const text = `Step ${mode.step} of ${entries.length}: ${step.entry.summary} (${fmtDate(occurredOn(step.entry.ref))})`;
      slider.setAttribute('aria-valuetext', text);
      position.textContent = text;
    }
    prev.disabled = !mode.date && mode.step <= 1;
    next.disabled = !mode.date && mode.step >= entries.length;
    asStood.replaceChildren(loading('Working out the record as it stood'));
    const bound = mode.date
      ? mode.as === 'known'
        ? { knownAt: knownAt.toISOString(), on: mode.date }
        : { occurredBy: mode.date }
      : { position: steps[mode.step - 1].entry.ref.position, on: occurredOn(steps[mode.step - 1].entry.ref) };
    api(`${base}/as-of${qs(bound)}`).then(
      (view) => {
        if (n === asked)
          asStood.replaceChildren(...asStoodView(studentId, view, now.decision, mode, entries.length));
      },
      (error) => {
        if (n === asked) asStood.replaceChildren(errorPanel(error));
      },
    );
  }

  function showEvent(eventId) {
    const item = document.getElementById(`event-${eventId}`);
    if (!item) return;
    for (const el of document.querySelectorAll('.timeline__entry.is-target'))
      el.classList.remove('is-target');
    item.classList.add('is-target');
    item.setAttribute('tabindex', '-1');
    item.scrollIntoView({ block: 'center' });
    item.focus({ preventScroll: true });
  }

  let timer = null;
  slider.addEventListener('input', () => {
    // move the marker at once; ask the ledger once the slider rests
    clearTimeout(timer);
    timer = setTimeout(() => go({ step: Number(slider.value) }), 120);
  });
  prev.addEventListener('click', () =>
    go({ step: mode.date ? lastStepBy(entries, mode.date) : mode.step - 1 }),
  );
  next.addEventListener('click', () =>
    go({ step: mode.date ? Math.min(lastStepBy(entries, mode.date) + 1, entries.length) : mode.step + 1 }),
  );
  latest.addEventListener('click', () => go({ step: entries.length }));
  dateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) {
      dateField.setError('enter a date, e.g. 12/07/2024');
      dateInput.focus();
      return;
    }
    dateField.setError(null);
    go({ date: dateInput.value, as: viewOf() });
  });
  for (const item of items)
    item.querySelector('.timeline__replay').addEventListener('click', () => {
      go({ step: Number(item.dataset.step) });
      asStood.closest('section')?.scrollIntoView({ block: 'start' });
      slider.focus({ preventScroll: true });
    });

  apply();
  return {
    el: h('div', { class: 'history' }, header, h('div', { class: 'history__layout' }, replay, timeline)),
    update(q) {
      const eventId = q.get('event');
      if (q.has('step') || q.has('date') || !eventId) {
        mode = modeOf(q, entries.length, defaultView);
        apply();
      }
      if (eventId) showEvent(eventId);
    },
    mounted() {
      const eventId = query.get('event');
      if (eventId) showEvent(eventId);
    },
  };
}
