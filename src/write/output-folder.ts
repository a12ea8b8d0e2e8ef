import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, stat, statfs } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { UsageError } from '../errors.ts';

// Everything inside --out is untrusted (it arrives in pull requests): these helpers read and create in it without
// following links, without blocking on special files, and with a size bound.

export type Existing = { kind: 'absent' } | { kind: 'file'; text: string } | { kind: 'other'; what: string };

const noFollow = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What stands at `path`: nothing, a regular file (its text, if at most `max` bytes), or something else, named. */
export async function readExisting(path: string, max: number): Promise<Existing> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | noFollow);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'other', what: 'a symbolic link' };
    if (code === 'ENXIO' || code === 'EOPNOTSUPP') return { kind: 'other', what: 'a special file' };
    throw e;
  }
  try {
    const s = await handle.stat();
    if (s.isDirectory()) return { kind: 'other', what: 'a folder' };
    if (!s.isFile()) return { kind: 'other', what: 'a special file' };
    if (s.size > max) return { kind: 'other', what: `a file of ${s.size} bytes` };
    // Sized from stat (one byte more, to notice growth), grown only while the file does: a buffer of `max` for
    // every file read zero-filled 16 MiB per document, which made a second generate of 500 environments take 15 s.
    let buf = Buffer.allocUnsafe(s.size + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > max) return { kind: 'other', what: 'a file that keeps growing' };
        const bigger = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > max) return { kind: 'other', what: 'a file that keeps growing' };
    return { kind: 'file', text: buf.subarray(0, n).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** Whether anything stands at `path`, a link included (not followed), without reading it. */
export async function standsAt(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return false;
      throw e;
    },
  );
}

/** Creates `dir` and its missing parents one level at a time (Node's recursive mkdir loops forever under /proc). */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const s = await stat(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (s) {
      if (!s.isDirectory()) throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(d);
    if (dirname(d) === d || missing.length > 256) break;
  }
  for (const d of missing.reverse()) {
    await mkdir(d).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
  }
}

/**
 * An environment's folder inside --out: created if missing, refused if it is a symbolic link (generate would write
 * through it to wherever it points) or anything but a folder. `--out` itself may be a link: the user chose it.
 * Returns whether it was created (a failed run removes the folders it created).
 */
export async function environmentFolder(outDir: string, name: string, shownOut: string): Promise<boolean> {
  const path = join(outDir, name);
  for (let attempt = 0; attempt < 2; attempt++) {
    const s = await lstat(path).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (s?.isSymbolicLink()) {
      throw new UsageError(
        'symlinked-folder',
        `${join(shownOut, name)} is a symbolic link; generate does not write through links inside the output folder`,
        `replace the link with a real folder (or remove it), or choose another --out`,
      );
    }
    if (s && !s.isDirectory())
      throw new UsageError(
        'folder-in-the-way',
        `${join(shownOut, name)} is not a folder, but the environment's documents go there`,
        'move that file away, or choose another --out',
      );
    if (s) return false;
    try {
      await mkdir(path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return false;
}

/** Whether `path` is inside `outDir` once every link is resolved (a file named in the record must never be outside). */
export async function resolvesInside(outDir: string, path: string): Promise<boolean> {
  try {
    const [base, parent] = await Promise.all([realpath(outDir), realpath(dirname(path))]);
    return parent === base || parent.startsWith(base.endsWith(sep) ? base : base + sep);
  } catch {
    return false;
  }
}

// File systems whose "files" are the kernel's: writing there is never meant, and walking them can loop or block.
// devtmpfs reports tmpfs' number, so /dev is also recognised by its path.
const specialFileSystems = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
  [0x65735543, 'fusectl'],
]);
const specialRoots = ['/proc', '/sys', '/dev'];

/** Refuses an output folder on a kernel file system (/proc, /sys, /dev…), judged from the nearest existing folder. */
export async function refuseSpecialFileSystem(outDir: string, shown: string): Promise<void> {
  let existing = outDir;
  for (let i = 0; i < 256; i++) {
    if (
      await stat(existing).then(
        () => true,
        () => false,
      )
    )
      break;
    if (dirname(existing) === existing) break;
    existing = dirname(existing);
  }
  const real = await realpath(existing).catch(() => existing);
  const underRoot = specialRoots.find((r) => (real === r || real.startsWith(`${r}/`)) && !real.startsWith('/dev/shm'));
  const type = await statfs(real).then(
    (s) => specialFileSystems.get(Number(s.type)),
    () => undefined,
  );
  if (underRoot || type) {
    throw new UsageError(
      'special-file-system',
      `${shown} is on the system's ${type ?? underRoot} file system, not a place for documents`,
      'choose an ordinary folder for --out',
    );
  }
}
