// Whether a process still runs, for tests that check a generator's children were stopped.
import { readFileSync } from 'node:fs';

/** Exists and is not a zombie (a killed child its new parent has not reaped yet is dead to us). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
