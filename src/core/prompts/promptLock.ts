import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The lock record, `.sora-lock.json`: per prompt file, the hash of the inputs that made its video, the
 * tasks that made it, where it went and what it cost. It lives at the root of the workspace folder the
 * prompt files are in (or beside a prompt file outside any), is meant to be committed with them, and is
 * what makes "nothing changed, nothing sent" true across machines. Keys are paths relative to the lock's
 * folder with `/`, so the file reads the same on every platform.
 */

export const LOCK_FILE_NAME = '.sora-lock.json';
export const LOCK_VERSION = 1;

export interface LockTask {
  /** The task's id in this machine's task history (the ledger). */
  id: string;
  /** Kie's task id, once known. */
  taskId?: string;
  /** The video this task made, relative to the lock's folder. */
  output?: string;
  /** Credits Kie reported, or the estimate when it reported none. */
  credits?: number;
}

export interface LockEntry {
  /** inputHash() of the inputs these tasks were sent with. */
  hash: string;
  /** The batch (or single run) that sent them: ledger records carry it in `origin.batchId`. */
  batchId: string;
  /** When the entry was written (ISO). */
  at: string;
  tasks: LockTask[];
  /** The file's canonical video (`intro.mp4`), relative to the lock's folder, once one arrived. */
  output?: string;
  /** Which task's take is the canonical video (the one kept among variants). */
  kept?: string;
  /** Estimated credits for the whole entry when it was sent. */
  estimatedCredits?: number;
}

interface LockFileData {
  version: typeof LOCK_VERSION;
  files: Record<string, LockEntry>;
}

function toKey(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

export class PromptLock {
  private data: LockFileData = { version: LOCK_VERSION, files: {} };
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly lockPath: string) {}

  get root(): string {
    return path.dirname(this.lockPath);
  }

  /** Opens the lock (an absent file is an empty lock). A lock that is not ours to read is an error, never overwritten. */
  static async open(lockPath: string): Promise<PromptLock> {
    const lock = new PromptLock(lockPath);
    await lock.reload();
    return lock;
  }

  async reload(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.lockPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.data = { version: LOCK_VERSION, files: {} };
        return;
      }
      throw e;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || typeof (parsed as LockFileData).files !== 'object' || (parsed as LockFileData).version !== LOCK_VERSION) {
      throw new Error(`${this.lockPath} is not a Sora lock file of version ${LOCK_VERSION}; it was left as it is.`);
    }
    this.data = parsed as LockFileData;
  }

  key(file: string): string {
    return toKey(this.root, file);
  }

  /** The absolute path of a path the lock stores relative to its folder. */
  absolute(rel: string): string {
    return path.resolve(this.root, rel);
  }

  relative(file: string): string {
    return toKey(this.root, file);
  }

  get(file: string): LockEntry | undefined {
    return this.data.files[this.key(file)];
  }

  entries(): [string, LockEntry][] {
    return Object.entries(this.data.files);
  }

  /**
   * Changes one file's entry (undefined removes it) and writes the lock. Changes are applied one after
   * another, each on the file as it is on disk, so two batches, or two windows, do not lose each other's.
   */
  update(file: string, change: (entry: LockEntry | undefined) => LockEntry | undefined): Promise<LockEntry | undefined> {
    const run = this.queue.then(async () => {
      await this.reload();
      const key = this.key(file);
      const next = change(this.data.files[key] ? structuredClone(this.data.files[key]) : undefined);
      if (next) this.data.files[key] = next;
      else delete this.data.files[key];
      await this.write();
      return next;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(): Promise<void> {
    const sorted: Record<string, LockEntry> = {};
    for (const k of Object.keys(this.data.files).sort()) sorted[k] = this.data.files[k];
    const text = JSON.stringify({ version: LOCK_VERSION, files: sorted }, null, 2) + '\n';
    await fs.mkdir(this.root, { recursive: true });
    const tmp = `${this.lockPath}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, text, 'utf8');
      await fs.rename(tmp, this.lockPath);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
}
