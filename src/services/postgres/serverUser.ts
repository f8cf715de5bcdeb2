import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { EngineError } from '../../core/errors.js';

/**
 * The account initdb and postgres run as. Both refuse root, so under root it is the `postgres` account the
 * Debian package creates; otherwise the current user, with nothing to switch.
 */
export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
  /** True when lhctl runs as root and starts the server programs as this other account. */
  switched: boolean;
}

const SERVER_ACCOUNT = 'postgres';

function idOf(flag: '-u' | '-g', account: string): number | undefined {
  const out = spawnSync('id', [flag, account], { encoding: 'utf8' });
  const id = Number.parseInt(out.stdout ?? '', 10);
  return out.status === 0 && Number.isInteger(id) ? id : undefined;
}

export function serverUser(): ServerUser {
  const me = userInfo();
  if (me.uid !== 0) return { name: me.username, uid: me.uid, gid: me.gid, switched: false };
  const uid = idOf('-u', SERVER_ACCOUNT);
  const gid = idOf('-g', SERVER_ACCOUNT);
  if (uid === undefined || gid === undefined) {
    throw new EngineError('PostgreSQL cannot run as root, and there is no `postgres` account to run it as', {
      hint: 'apt-get install -y postgresql creates it (or run lhctl as an ordinary user).',
    });
  }
  return { name: SERVER_ACCOUNT, uid, gid, switched: true };
}

/** spawn options that run a program as the server's account (nothing to add when it is ours). */
export function runAs(user: ServerUser): { uid?: number; gid?: number } {
  return user.switched ? { uid: user.uid, gid: user.gid } : {};
}

function canTraverse(user: ServerUser, dir: string): boolean {
  return spawnSync('test', ['-x', dir], runAs(user)).status === 0;
}

/**
 * Lets the server's account reach `dir` by path: every folder above it that the account cannot traverse gets
 * an ACL entry granting that one account traverse (x) and nothing else — no listing, no reading, nobody
 * else. A home such as /root (0700) stays closed to every other user; the files lhctl keeps beside the
 * cluster (password, state) stay unreadable to the server. Without ACL tools the error names the folder.
 */
export function grantTraverse(user: ServerUser, dir: string): void {
  if (!user.switched) return;
  const target = resolve(dir);
  const chain: string[] = [];
  for (let d = target; ; d = dirname(d)) {
    chain.unshift(d);
    if (d === parse(d).root) break;
  }
  for (const folder of chain) {
    if (canTraverse(user, folder)) continue;
    const acl = spawnSync('setfacl', ['-m', `u:${user.name}:x`, folder], { encoding: 'utf8' });
    if (acl.error || acl.status !== 0 || !canTraverse(user, folder)) {
      throw new EngineError(`the ${user.name} account cannot reach ${target}: ${folder} is closed to it`, {
        hint:
          `lhctl grants that account traverse-only access with an ACL (setfacl -m u:${user.name}:x ${folder}); ` +
          `install the ACL tools (apt-get install -y acl), or run chmod o+x ${folder} yourself, or set LHCTL_HOME under a folder others may traverse.` +
          (acl.stderr ? `\n${acl.stderr.trim()}` : ''),
      });
    }
  }
}

/** A folder the server's account owns alone (0700), as initdb requires of a data folder. */
export function serverOwnedDir(user: ServerUser, dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (user.switched) chownSync(dir, user.uid, user.gid);
  chmodSync(dir, 0o700);
}
