import { closeSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { JournalEntry, JournalRow } from '../store.js';
import { decodeRows, encodeRow } from './journal-codec.js';

interface Segment {
  path: string;
  fd: number;
  lastId: number;
}

/**
 * The journal of answered progress on the embedded store: rows (journal-codec.ts) appended to files
 * beside the database (`<db>-progress-<pid>-<n>`), not rows of a table. A row per group commit made SQLite
 * write every journaled byte twice (WAL, then checkpoint) and delete it again: 35-40% of the
 * batched HTTP ingest went there. An appended row reaches the OS as the write returns, which is
 * all a process crash needs (synchronous=NORMAL gives SQLite commits no more). A flush rotates to
 * a new file, so whole files go once a flush has covered them.
 */
export class FileJournal {
  private current: Segment | null = null;
  private readonly closed: Segment[] = [];
  private nextId = 1;
  private files = 0;

  /** `dbPath` null: an in-memory database, whose progress a crash takes with it anyway. */
  constructor(private readonly dbPath: string | null) {}

  append(entries: readonly JournalEntry[]): number {
    const id = this.nextId++;
    if (this.dbPath === null) return id;
    this.current ??= this.openSegment(this.dbPath);
    writeSync(this.current.fd, encodeRow(id, entries));
    this.current.lastId = id;
    return id;
  }

  /** Deletes the files whose rows are all at or below `throughId`; the file being written is closed first (a flush starts a new one). */
  drop(throughId: number): void {
    if (this.current) {
      closeSync(this.current.fd);
      this.closed.push(this.current);
      this.current = null;
    }
    for (const segment of this.closed.splice(0)) {
      if (segment.lastId <= throughId) removeFile(segment.path);
      else this.closed.push(segment);
    }
  }

  close(): void {
    if (this.current) closeSync(this.current.fd);
    this.current = null;
  }

  private openSegment(dbPath: string): Segment {
    const path = `${dbPath}-progress-${process.pid}-${++this.files}`;
    return { path, fd: openSync(path, 'a'), lastId: 0 };
  }
}

/**
 * The rows left beside the database by processes that are gone (a live one, another process on
 * the same file, keeps its own), oldest file of each process first. A last row cut short by the
 * crash was never answered and is left out.
 */
export function leftJournal(dbPath: string): { rows: JournalRow[]; files: string[] } {
  return rowsOf(journalFiles(dbPath).filter((file) => file.pid === process.pid || !isRunning(file.pid)));
}

/**
 * The rows of other processes on the same file that are gone and wrote nothing for `olderThanMs`,
 * for a process that keeps running to write back (see JournalAdopter). The age guards a live
 * process the PID check cannot see (one in another PID namespace sharing the folder): a live one
 * rotates its files at every flush, so none of them gets that old.
 */
export function abandonedJournal(dbPath: string, olderThanMs: number, now = Date.now()): { rows: JournalRow[]; files: string[] } {
  const abandoned = journalFiles(dbPath).filter((file) => file.pid !== process.pid && !isRunning(file.pid) && now - modifiedAt(file.path) > olderThanMs);
  return rowsOf(abandoned);
}

interface JournalFile {
  path: string;
  pid: number;
  n: number;
}

function journalFiles(dbPath: string): JournalFile[] {
  const folder = dirname(dbPath);
  const pattern = new RegExp(`^${escapeRegExp(basename(dbPath))}-progress-(\\d+)-(\\d+)$`);
  return readdirSync(folder).flatMap((name) => {
    const match = pattern.exec(name);
    return match ? [{ path: join(folder, name), pid: Number(match[1]), n: Number(match[2]) }] : [];
  });
}

/** Rows in order, oldest file of each process first; a file gone meanwhile (another process adopted it) has none. */
function rowsOf(found: JournalFile[]): { rows: JournalRow[]; files: string[] } {
  const files = found.sort((a, b) => a.pid - b.pid || a.n - b.n);
  const rows = files.flatMap((file) => decodeRows(readIfThere(file.path)));
  return { rows, files: files.map((file) => file.path) };
}

function readIfThere(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/** A file deleted meanwhile counts as new: nothing to adopt. */
function modifiedAt(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Infinity;
    throw error;
  }
}

export function deleteFiles(paths: readonly string[]): void {
  for (const path of paths) removeFile(path);
}

/** Gone already is fine: another node in this process (tests) may have replayed and removed it. */
function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
