// Preloaded with --import: writes the process's peak resident set size (KiB) to $BENCH_RSS_FILE at exit.
import { appendFileSync } from 'node:fs';
process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
