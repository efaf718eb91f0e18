import { ApiError, api } from '../api.js';
import { badge, DECISION, errorPanel, facts, fmtDate, fmtInstant, h, plural, table } from '../dom.js';
import { studentName } from './shared.js';

// The board's record for its minutes, laid out to print (board.css hides everything else on paper): the
// board, each student's standing and what this board decided, and the log's tamper evidence: the signed
// checkpoint written as the board was recorded, the latest one, and on demand a fresh verify of the log
// (its head digest). Anyone holding the public key can check a checkpoint later (README, Tamper evidence).

const checkpointFacts = (c) =>
  facts([
    ['Why written', c.reason],
    ['Written at', fmtInstant(c.writtenAt)],
    ['Events in the log', `${c.count.toLocaleString('en-GB')} (last at position ${c.position})`],
    ['Log digest (SHA-256)', h('code', { class: 'digest digest--full' }, c.digest)],
    ['Signing key id', h('code', {}, c.keyId)],
  ]);

/** The checkpoint part: the one written at this board, and the latest, or why there are none. */
function evidence(board, checkpoints) {
  if (!checkpoints)
    return h('p', { class: 'muted' }, 'The signed checkpoints are shown to registry staff and admins.');
  if (!checkpoints.kept || checkpoints.checkpoints.length === 0)
    return h(
      'p',
      { class: 'muted', 'data-testid': 'no-checkpoint' },
      `This ledger keeps no signed checkpoints${checkpoints.reason ? ` (${checkpoints.reason})` : ''}.`,
    );
  const [latest] = checkpoints.checkpoints; // newest first
  const atBoard = checkpoints.checkpoints.find((c) =>
    c.reason.startsWith(`exam board ${board.examBoardId} (cohort-${board.cohortId})`),
  );
  return h(
    'div',
    { 'data-testid': 'board-checkpoint' },
    atBoard
      ? h('div', {}, h('h4', {}, 'Checkpoint written as this board was recorded'), checkpointFacts(atBoard))
      : h('p', { class: 'muted' }, 'No checkpoint names this board (it was recorded before they were kept).'),
    latest !== atBoard ? h('div', {}, h('h4', {}, 'Latest checkpoint'), checkpointFacts(latest)) : null,
  );
}

function verifyPart() {
  const out = h('div', { 'aria-live': 'polite', 'data-testid': 'verify-result' });
  const button = h(
    'button',
    { type: 'button', class: 'button button--secondary no-print' },
    'Verify the log now',
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    out.replaceChildren(h('p', { class: 'loading', role: 'status' }, 'Walking the log…'));
    try {
      const r = await api('/verify');
      out.replaceChildren(
        facts(
          [
            [
              'Verified',
              `${fmtInstant(new Date().toISOString())}: ${r.ok ? 'the log is intact' : 'PROBLEM FOUND'}`,
            ],
            [
              'Events checked',
              `${r.eventsChecked.toLocaleString('en-GB')} in ${plural(r.streamsChecked, 'stream')}`,
            ],
            ['Head digest', h('code', { class: 'digest digest--full' }, r.headDigest)],
            r.broken
              ? [
                  'First broken link',
                  `${r.broken.streamId} revision ${r.broken.revision}: ${r.broken.reason}`,
                ]
              : null,
            r.checkpoints
              ? [
                  'Against the checkpoints',
                  r.checkpoints.ok ? `matches all ${r.checkpoints.checked}` : r.checkpoints.problem,
                ]
              : null,
          ].filter(Boolean),
        ),
      );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      out.replaceChildren(errorPanel(error));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', {}, button, out);
}

export function boardMinutes({ cohort, board, workspace, checkpoints, directory, provisional }) {
  const rows = workspace.students.map((s) => [
    studentName(directory.get(s.studentId)?.name ?? null, s.studentId),
    badge(DECISION, s.outcome),
    `${s.creditsEarned} / ${s.creditsRequired}`,
    String(provisional.get(s.studentId) ?? 0),
    s.boardOutcomes.map((o) => `${o.moduleCode} (attempt ${o.attempt}): ${o.outcome}`).join('; ') || '—',
    s.claims
      .filter((c) => c.decision?.examBoardId === board.examBoardId)
      .map((c) => `${c.claimId}: ${c.decision.decision}${c.decision.remedy ? ` (${c.decision.remedy})` : ''}`)
      .join('; ') || '—',
    s.awardedAtBoard ? 'Conferred' : '—',
  ]);
  const conferred = workspace.students.filter((s) => s.awardedAtBoard).length;
  const print = h('button', { type: 'button', class: 'button no-print' }, 'Print the board record');
  print.addEventListener('click', () => window.print());
  return h(
    'section',
    { class: 'section board-record', 'aria-labelledby': 'board-record-title', 'data-testid': 'board-record' },
    h('h2', { id: 'board-record-title' }, `Record of exam board ${board.examBoardId}`),
    h('div', { class: 'button-row no-print' }, print),
    facts([
      ['Cohort', `${cohort.name} (${cohort.cohortId})`],
      ['Programme', `${cohort.programmeId}, version ${cohort.specVersion}`],
      ['Held on', fmtDate(board.heldOn)],
      ['External examiners present', board.externalExaminers.join(', ')],
      ['Students', String(workspace.students.length)],
      ['Awards conferred at this board', String(conferred)],
      ['Printed', fmtInstant(new Date().toISOString())],
    ]),
    table({
      caption: 'Each student: the standing today and what this board decided',
      columns: [
        'Student',
        'Decision now',
        'Credits',
        'Provisional marks',
        'Outcomes',
        'Claims decided',
        'Award',
      ],
      rows,
      className: 'table--board-record',
    }),
    h('h3', {}, 'Tamper evidence'),
    h(
      'p',
      { class: 'small' },
      "Each signed checkpoint pins every event up to it; anyone with the ledger's public key can check it later (npm run ledger -- verify --checkpoint <file>).",
    ),
    evidence(board, checkpoints),
    verifyPart(),
  );
}
