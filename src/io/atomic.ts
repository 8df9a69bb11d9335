/**
 * The one way pointwise writes files: into a temporary file in the target's folder, `fsync`, then
 * `rename` over the target. A crash, a kill or a thrown error at any point leaves either the old file
 * or the complete new one, never a half-written target. Every writer in the package goes through
 * {@link writeFileAtomic} (whole buffers) or {@link AtomicWriter} (streams, with header patching).
 *
 * The temporary is `.<name>.<pid>.<hex>.tmp`, created owner-only (0600) and given the target's
 * permissions at commit (a new file: 0666 less the umask). A process killed mid-write leaves its
 * temporary behind; the next writer of the same target removes those whose pid is no longer
 * running ({@link removeStaleTemps}), and the CLI removes its own on SIGINT, SIGTERM and SIGHUP.
 * Write errors (ENOSPC, EFBIG, EIO…) are {@link FileError}s naming the target, and remove the
 * temporary.
 * @module
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FileError, message } from '../core/errors.js';

/** Wraps a Node fs error as a {@link FileError} that names the function and the path. */
export function fileError(fn: string, what: string, filePath: string, err: unknown): FileError {
  const code = (err as NodeJS.ErrnoException)?.code;
  const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : code ?? String(err);
  return new FileError(message(fn, what, { verbatim: `${JSON.stringify(filePath)} (${reason})` }), code);
}

/** Throws a FileError unless the folder that would hold `filePath` exists and is a folder. */
function checkFolder(fn: string, filePath: string): void {
  const dir = path.dirname(path.resolve(filePath));
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    throw fileError(fn, 'the output folder must exist', dir, err);
  }
  if (!st.isDirectory()) throw new FileError(message(fn, 'the output folder must be a folder', dir), 'ENOTDIR');
}

function tempPathFor(filePath: string): string {
  const abs = path.resolve(filePath);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** True unless the process `pid` is known to be gone (ESRCH); EPERM means alive but not ours. */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary files that writers of `target` left behind when their process died
 * (`.<name>.<pid>.<hex>.tmp` whose pid is no longer running). Temporaries of live processes stay.
 * Returns the paths removed. Called by every {@link AtomicWriter} before it writes its target.
 */
export function removeStaleTemps(target: string): string[] {
  const abs = path.resolve(target);
  const dir = path.dirname(abs);
  const prefix = `.${path.basename(abs)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      /* another writer removed it first */
    }
  }
  return removed;
}

/**
 * A file being written atomically. Write chunks in order with {@link write} (or at an offset with
 * {@link writeAt}, e.g. to patch a header), then {@link commit}; {@link abort} (or any error before
 * commit) removes the temporary file and leaves the target untouched.
 */
export class AtomicWriter {
  readonly target: string;
  readonly tempPath: string;
  private fd: number | null;
  private position = 0;
  private readonly fn: string;
  /** Permission bits the committed file gets: the target's when it exists, else 0o666 less the umask. */
  private readonly mode: number;

  /** Opens a temporary file beside `target`. `fn` names the public function for error messages. */
  constructor(target: string, fn = 'writeFileAtomic') {
    this.fn = fn;
    if (typeof target !== 'string' || target.length === 0) throw new FileError(message(fn, 'the output path must be a non-empty string', target));
    checkFolder(fn, target);
    this.target = path.resolve(target);
    this.tempPath = tempPathFor(target);
    removeStaleTemps(this.target);
    let mode: number;
    try {
      mode = fs.statSync(this.target).mode & 0o777;
    } catch {
      const umask = process.umask();
      mode = 0o666 & ~umask;
    }
    this.mode = mode;
    try {
      // Owner-only until commit, so the temporary is never more permissive than the target.
      this.fd = fs.openSync(this.tempPath, 'wx', 0o600);
    } catch (err) {
      throw fileError(fn, 'the output folder must be writable', path.dirname(this.target), err);
    }
  }

  /** Bytes written so far by {@link write}. */
  get bytesWritten(): number {
    return this.position;
  }

  /** Appends `bytes`. */
  write(bytes: Uint8Array): void {
    this.writeAt(bytes, this.position);
    this.position += bytes.length;
  }

  /**
   * Writes `bytes` at absolute `offset` without moving the append position (for headers).
   * @throws FileError (e.g. code ENOSPC when the disk is full); the temporary file is removed.
   */
  writeAt(bytes: Uint8Array, offset: number): void {
    const fd = this.open();
    let off = 0;
    try {
      while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off, offset + off);
    } catch (err) {
      this.abort();
      throw fileError(this.fn, 'the output file must be writable (disk full?)', this.target, err);
    }
  }

  /** Flushes what was written to disk and returns the open descriptor of the temporary file (for fstat). */
  sync(): number {
    const fd = this.open();
    try {
      fs.fsyncSync(fd);
    } catch (err) {
      this.abort();
      throw fileError(this.fn, 'the output file must be writable', this.target, err);
    }
    return fd;
  }

  /** Flushes to disk, gives the file the target's permissions and renames it over the target. */
  commit(): void {
    const fd = this.open();
    try {
      fs.fsyncSync(fd);
      fs.fchmodSync(fd, this.mode);
      fs.closeSync(fd);
      this.fd = null;
      fs.renameSync(this.tempPath, this.target);
    } catch (err) {
      this.abort();
      throw fileError(this.fn, 'the output file must be writable', this.target, err);
    }
  }

  /** Discards the temporary file; the target is left as it was. Safe to call twice. */
  abort(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
      this.fd = null;
    }
    try {
      fs.unlinkSync(this.tempPath);
    } catch {
      /* already gone */
    }
  }

  private open(): number {
    if (this.fd === null) throw new FileError(message(this.fn, 'the writer must be open (not committed or aborted)', this.target));
    return this.fd;
  }
}

/**
 * Writes `bytes` to `filePath` atomically (temporary file, fsync, rename).
 * @throws FileError when the folder does not exist or is not writable.
 */
export function writeFileAtomic(filePath: string, bytes: Uint8Array | string): void {
  writeFileAtomicChecked('writeFileAtomic', filePath, bytes);
}

/** {@link writeFileAtomic} for the package's writers, with errors naming `fn`. */
export function writeFileAtomicChecked(fn: string, filePath: string, bytes: Uint8Array | string): void {
  const w = new AtomicWriter(filePath, fn);
  try {
    w.write(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    w.commit();
  } catch (err) {
    w.abort();
    throw err;
  }
}

/**
 * Reads a whole file, turning fs errors into a {@link FileError} that names `fn` and the path.
 */
export function readFileChecked(fn: string, filePath: string): Buffer {
  if (typeof filePath !== 'string' || filePath.length === 0) throw new FileError(message(fn, 'the path must be a non-empty string', filePath));
  try {
    return fs.readFileSync(filePath);
  } catch (err) {
    throw fileError(fn, 'the file must exist and be readable', filePath, err);
  }
}
