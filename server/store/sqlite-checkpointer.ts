// A thread that copies the SQLite write-ahead log into the database file every second. Checkpoints write and
// fsync megabytes; here they stall nobody, where SQLite's automatic ones would stall whichever append crossed the line.
import { parentPort, workerData } from 'node:worker_threads';
import { DatabaseSync } from 'node:sqlite';

export interface CheckpointerOptions { path: string; busyTimeoutMs: number; intervalMs: number }

if (parentPort) {
  const port = parentPort;
  const { path, busyTimeoutMs, intervalMs } = workerData as CheckpointerOptions;
  const db = new DatabaseSync(path, { timeout: busyTimeoutMs });
  // once a checkpoint has caught up, the log restarts from its start; this trims the file it leaves behind
  db.exec('PRAGMA journal_size_limit = 67108864');
  const checkpoint = () => {
    try { db.exec('PRAGMA wal_checkpoint(PASSIVE)'); } catch (err) { port.postMessage({ warning: `checkpoint failed: ${(err as Error).message}` }); }
  };
  const timer = setInterval(checkpoint, intervalMs);
  port.on('message', (msg: { close?: boolean }) => {
    if (!msg?.close) return;
    clearInterval(timer);
    checkpoint();
    db.close();
    port.close();
  });
}
