import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';

/** One line naming the machine, printed by every benchmark next to its figures. */
export function machineLine(): string {
  const cpu = cpus();
  return `machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}, node ${process.version}`;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Core time the hypervisor gave to other guests so far, all cores (the steal column of /proc/stat; 0 elsewhere). */
export function stolenCoreMs(): number {
  try {
    return (Number(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/)[8]) * 1000) / 100;
  } catch {
    return 0;
  }
}
