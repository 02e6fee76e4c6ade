import fs from 'node:fs';
import path from 'node:path';

/** Thrown when another live process already holds the embedded database directory. */
export class DirectoryLockedError extends Error {
  constructor(
    readonly directory: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${directory} is in use by another Trillium process (pid ${pid}). ` +
        'Stop that process, or set TRILLIUM_PGLITE_DIR to another directory.',
    );
    this.name = 'DirectoryLockedError';
  }
}

/**
 * Takes an exclusive lock on a PGlite data directory for this process's lifetime.
 * PGlite is single-process: two processes writing one directory silently corrupt it, so a second
 * process must refuse to start. The lock file holds the owner's pid; a lock left by a process that
 * no longer runs (a crash) is taken over. Returns a function that releases the lock.
 */
export function lockDirectory(directory: string): () => void {
  fs.mkdirSync(directory, { recursive: true });
  const lockFile = path.join(directory, '..', `${path.basename(directory)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(lockFile, 'utf8').trim());
      if (owner && owner !== process.pid && isRunning(owner)) throw new DirectoryLockedError(directory, owner);
      if (owner === process.pid) throw new DirectoryLockedError(directory, owner);
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${directory}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
