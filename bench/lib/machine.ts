import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memory: string;
  date: string;
  /** 1-minute load average when the bench started (other work on the machine skews everything). */
  loadAtStart: number;
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.platform()}/${os.arch()})`,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    date: new Date().toISOString(),
    loadAtStart: os.loadavg()[0],
  };
}
