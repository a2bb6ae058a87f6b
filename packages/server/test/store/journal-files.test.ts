import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { progressFieldBit } from '../../src/store/progress-fields.js';
import { encodeRow } from '../../src/store/sqlite/journal-codec.js';
import { abandonedJournal, deleteFiles, FileJournal, leftJournal } from '../../src/store/sqlite/progress-journal.js';
import type { JournalEntry } from '../../src/store/store.js';
import { jobWith } from '../model/job.js';

const entry = (done: number): JournalEntry => ({ record: jobWith({ id: `job-${done}`, done, updatedAt: done }), fields: progressFieldBit('done') | progressFieldBit('updatedAt') });
const dones = (rows: ReturnType<typeof leftJournal>['rows']) => rows.flatMap((row) => row.patches.map((patch) => patch.done));

describe('the SQLite progress journal files', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a flush deletes the files it covered and keeps the rows written after it began', () => {
    dir = mkdtempSync(join(tmpdir(), 'headway-journal-'));
    const db = join(dir, 'h.db');
    const journal = new FileJournal(db);
    expect(journal.append([entry(1)])).toBe(1);
    journal.drop(1);
    expect(readdirSync(dir)).toEqual([]);
    journal.append([entry(2)]);
    journal.append([entry(3)]);
    journal.drop(2); // row 3 came after the flush began: its file stays, closed
    expect(dones(leftJournal(db).rows)).toEqual([2, 3]);
    journal.append([entry(4)]);
    journal.drop(4);
    expect(readdirSync(dir)).toEqual([]);
    journal.close();
  });

  it("a start replays this process's files and those of processes that are gone, never a live one's", () => {
    dir = mkdtempSync(join(tmpdir(), 'headway-journal-'));
    const db = join(dir, 'h.db');
    const gonePid = spawnSync(process.execPath, ['-e', '']).pid;
    const livePid = process.ppid;
    writeFileSync(`${db}-progress-${gonePid}-1`, encodeRow(1, [entry(10)]));
    writeFileSync(`${db}-progress-${livePid}-1`, encodeRow(1, [entry(20)]));
    const own = new FileJournal(db);
    own.append([entry(30)]);
    own.close();
    const left = leftJournal(db);
    expect(dones(left.rows).sort()).toEqual([10, 30]);
    deleteFiles(left.files);
    expect(existsSync(`${db}-progress-${livePid}-1`)).toBe(true);
    expect(readdirSync(dir)).toEqual([`h.db-progress-${livePid}-1`]);
  });

  it("a process that keeps running adopts the files of processes that are gone once they wrote nothing for the adoption age; never its own, a live one's or a fresh one's", () => {
    dir = mkdtempSync(join(tmpdir(), 'headway-journal-'));
    const db = join(dir, 'h.db');
    const gonePid = spawnSync(process.execPath, ['-e', '']).pid;
    const goneJustNowPid = spawnSync(process.execPath, ['-e', '']).pid;
    const livePid = process.ppid;
    const minuteAgo = new Date(Date.now() - 60_000);
    const write = (pid: number, n: number, done: number, old: boolean) => {
      const path = `${db}-progress-${pid}-${n}`;
      writeFileSync(path, encodeRow(n, [entry(done)]));
      if (old) utimesSync(path, minuteAgo, minuteAgo);
    };
    write(gonePid, 2, 11, true);
    write(gonePid, 1, 10, true);
    write(goneJustNowPid, 1, 40, false);
    write(livePid, 1, 20, true);
    write(process.pid, 1, 30, true);
    const abandoned = abandonedJournal(db, 30_000);
    expect(dones(abandoned.rows)).toEqual([10, 11]); // oldest file first
    deleteFiles(abandoned.files);
    expect(readdirSync(dir).sort()).toEqual([`h.db-progress-${goneJustNowPid}-1`, `h.db-progress-${livePid}-1`, `h.db-progress-${process.pid}-1`].sort());
    expect(dones(abandonedJournal(db, 30_000).rows)).toEqual([]);
  });
});
