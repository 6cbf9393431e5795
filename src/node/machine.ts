import { createHash } from 'node:crypto';
import * as os from 'node:os';
import type { Machine } from '../core/baseline/baselineFile';

/** CPU model, cores and OS of this machine, and a short fingerprint of the three. */
export function thisMachine(): Machine {
  const cpus = os.cpus();
  const cpu = (cpus[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim();
  const cores = cpus.length;
  const osName = `${os.platform()} ${os.arch()} ${os.release()}`;
  const fingerprint = createHash('sha256').update(`${cpu}|${cores}|${os.platform()} ${os.arch()}`).digest('hex').slice(0, 12);
  return { cpu, cores, os: osName, fingerprint };
}
