import * as os from 'node:os';

/** The machine a run happened on, so figures from different runs can be told apart. */
export function describeMachine(): string[] {
  const cpus = os.cpus();
  return [
    `Date: ${new Date().toISOString()}`,
    `Machine: ${os.availableParallelism()} CPUs (nproc), ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.platform()} ${os.release()}`,
    `Node: ${process.version}`,
  ];
}
