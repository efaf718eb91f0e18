// A one-line progress report for long CLI operations (rebuild, verify, import): redrawn in place on a
// terminal, printed every few seconds otherwise, so logs stay readable. Always on stderr: stdout carries
// the command's answer, which a script may read.

/** Where the bar goes: stderr, or (in tests) anything that writes and says whether it is a terminal. */
export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function progress(
  label: string,
  total: number | null,
  out: ProgressOutput = process.stderr,
  clock: () => number = () => performance.now(),
) {
  const started = clock();
  const tty = out.isTTY === true;
  let lastPrint = Number.NEGATIVE_INFINITY;
  const line = (done: number) => {
    const seconds = (clock() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    if (total && total > 0) {
      const width = 30;
      const filled = Math.min(width, Math.round((done / total) * width));
      return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${rate}/s)`;
    }
    return `${label} ${done} (${rate}/s)`;
  };
  return {
    update(done: number) {
      const now = clock();
      if (tty) out.write(`\r${line(done)}`);
      else if (now - lastPrint > 2000) {
        out.write(`${line(done)}\n`);
        lastPrint = now;
      }
    },
    done(done: number) {
      out.write(`${tty ? '\r' : ''}${line(done)}\n`);
      return { seconds: (clock() - started) / 1000 };
    },
  };
}
