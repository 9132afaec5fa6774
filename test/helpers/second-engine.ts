// A second, independent Docker engine (its own dockerd, data root and containerd), with the
// stack's busybox:stable loaded into it: what another CI runner would have.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackEnv } from './stack.js';

export interface SecondEngine {
  host: string;
  stop(): Promise<void>;
}

const docker = (host: string, args: string[], input?: Buffer) =>
  execFileSync('/usr/bin/docker', args, { env: { ...process.env, DOCKER_HOST: host }, input, maxBuffer: 256 << 20 });

export async function startSecondEngine(): Promise<SecondEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-dockerd-'));
  const host = `unix://${join(dir, 'docker.sock')}`;
  const log = openSync(join(dir, 'dockerd.log'), 'w');
  const child: ChildProcess = spawn(
    'dockerd',
    ['--iptables=false', '--bridge=none', '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '-H', host],
    { stdio: ['ignore', log, log] },
  );
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (existsSync(join(dir, 'docker.sock'))) {
      try {
        docker(host, ['version']);
        break;
      } catch {
        /* not answering yet */
      }
    }
    if (i > 120 || child.exitCode !== null) {
      await stop();
      throw new Error('the second dockerd did not start');
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  docker(host, ['load'], docker(stackEnv().DOCKER_HOST, ['save', 'busybox:stable']));
  return { host, stop };
}
