// busybox:stable without a registry: a root filesystem of the host's static busybox and its
// applet links, imported into the engine (what `docker import` does). Fixed mtimes and order: the
// same busybox binary gives the same base layer on every machine.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { dockerRequest } from './docker-api.mjs';

export async function importBusybox(dockerHost, busybox, rootfs) {
  rmSync(rootfs, { recursive: true, force: true });
  for (const dir of ['bin', 'etc', 'tmp', 'root', 'www']) mkdirSync(join(rootfs, dir), { recursive: true });
  chmodSync(join(rootfs, 'tmp'), 0o1777);
  copyFileSync(busybox, join(rootfs, 'bin/busybox'));
  chmodSync(join(rootfs, 'bin/busybox'), 0o755);
  const applets = spawnSync(busybox, ['--list'], { encoding: 'utf8' }).stdout.split('\n').filter((a) => a && a !== 'busybox');
  for (const applet of applets) symlinkSync('busybox', join(rootfs, 'bin', applet));
  writeFileSync(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  const tar = spawn('tar', ['--numeric-owner', '--owner=0', '--group=0', '--mtime=@0', '--sort=name', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const changes = encodeURIComponent('CMD ["sh"]');
  const res = await dockerRequest(dockerHost, 'POST', `/images/create?fromSrc=-&repo=busybox&tag=stable&changes=${changes}`, tar.stdout, 120_000, {
    'Content-Type': 'application/x-tar',
  });
  rmSync(rootfs, { recursive: true, force: true });
  if (res.status !== 200 || /"error"/.test(res.body)) throw new Error(`docker import of busybox failed: ${res.status} ${res.body}`);
}
