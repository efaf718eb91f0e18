import { checkpointSummary, listCheckpoints, verifyLedger, writeCheckpoint } from '../app/checkpoints.ts';
import { toJson } from '../app/json.ts';
import type { OpenedLedger } from '../app/open.ts';
import { progress } from './progress.ts';

// `verify` and `checkpoints`: the hash chain walked and the log checked against its signed checkpoints
// (src/store/anchor.ts), and the checkpoints listed or one written by hand.

export async function verifyCommand(
  opened: OpenedLedger,
  options: { json: boolean; checkpoint?: string },
): Promise<number> {
  const json = options.json;
  const bar = progress('verifying', Number(await opened.ledger.store.headPosition()));
  const report = await verifyLedger(opened.ledger, opened.checkpoints, {
    onProgress: (n) => bar.update(n),
    elsewhere: options.checkpoint ? [options.checkpoint] : [],
  });
  bar.done(report.eventsChecked);
  if (json) {
    console.log(toJson(report));
    return report.ok ? 0 : 1;
  }
  const broken = report.broken;
  const anchor = report.checkpoints;
  if (broken)
    console.log(
      `BROKEN at stream ${broken.streamId}, revision ${broken.revision}, position ${broken.position}: ${broken.reason}`,
    );
  else if (anchor && !anchor.ok) console.log(`CHECKPOINT REFUSED: ${anchor.problem}`);
  else
    console.log(
      `ok: ${report.eventsChecked} events in ${report.streamsChecked} streams; head digest ${report.headDigest}`,
    );
  if (!anchor) console.log('checkpoints: none, the memory store keeps nothing');
  else if (anchor.ok && !anchor.latest) console.log(`checkpoints: none yet; log digest ${anchor.logDigest}`);
  else if (anchor.ok)
    console.log(
      `checkpoints: the log matches all ${anchor.checked}, the latest ${anchor.latest!.source} (${anchor.latest!.count} events, ${anchor.latest!.writtenAt}, ${anchor.latest!.reason}); log digest ${anchor.logDigest}`,
    );
  else if (broken) console.log(`CHECKPOINT REFUSED: ${anchor.problem}`);
  return report.ok ? 0 : 1;
}

export async function checkpointsCommand(
  opened: OpenedLedger,
  sub: string | undefined,
  options: { json: boolean; reason?: string },
): Promise<number> {
  const book = opened.checkpoints;
  if (!book) {
    console.error('the memory store keeps no checkpoints');
    return 1;
  }
  if (sub === 'write') {
    // Only a log that still matches every checkpoint may be anchored further.
    const written = await writeCheckpoint(
      opened.ledger,
      book,
      options.reason ? `manual: ${options.reason}` : 'manual',
    );
    if (!written.ok) {
      console.error(`not written: ${written.problem}`);
      return 1;
    }
    const c = written.checkpoint;
    console.log(options.json ? toJson(c) : `wrote ${c.source}: ${c.count} events, digest ${c.digest}`);
    return 0;
  }
  if (sub !== undefined && sub !== 'list') {
    console.error('usage: checkpoints list | checkpoints write [--reason <text>]');
    return 2;
  }
  const { checkpoints, problems, keyId, publicKey } = listCheckpoints(book);
  if (options.json) console.log(toJson({ keyId, publicKey, checkpoints, problems }));
  else {
    console.log(`public key ${keyId} (${publicKey})`);
    for (const c of checkpoints.map(checkpointSummary))
      console.log(
        `${c.writtenAt}\t${c.count} events\tposition ${c.position}\t${c.digest}\t${c.reason}\t${c.source}`,
      );
    for (const p of problems) console.log(`PROBLEM: ${p}`);
    if (checkpoints.length === 0) console.log('no checkpoints yet');
  }
  return problems.length > 0 ? 1 : 0;
}
