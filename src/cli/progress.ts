// A one-line progress report for long CLI operations (rebuild, verify, import): redrawn in place on a
// terminal, printed every few seconds otherwise, so logs stay readable.

export function progress(label: string, total: number | null) {
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const line = (done: number) => {
    const seconds = (performance.now() - started) / 1000;
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
      const now = performance.now();
      if (tty) process.stderr.write(`\r${line(done)}`);
      else if (now - lastPrint > 2000) {
        process.stderr.write(`${line(done)}\n`);
        lastPrint = now;
      }
    },
    done(done: number) {
      process.stderr.write(`${tty ? '\r' : ''}${line(done)}\n`);
      return { seconds: (performance.now() - started) / 1000 };
    },
  };
}
