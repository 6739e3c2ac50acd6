// The thread that owns the SQLite file: disk writes and WAL checkpoints stall it, never the game's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteFile, type SqliteFileOptions } from './sqlite-file.ts';

export type StoreCall =
  | { id: number; op: 'createMatch'; args: Parameters<SqliteFile['createMatch']> }
  | { id: number; op: 'appendBatch'; args: Parameters<SqliteFile['appendBatch']> }
  | { id: number; op: 'load'; args: Parameters<SqliteFile['load']> }
  | { id: number; op: 'findByCode'; args: Parameters<SqliteFile['findByCode']> }
  | { id: number; op: 'setStatus'; args: Parameters<SqliteFile['setStatus']> }
  | { id: number; op: 'list'; args: Parameters<SqliteFile['list']> }
  | { id: number; op: 'close'; args: [] };
export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

if (parentPort) {
  const port = parentPort;
  const file = new SqliteFile(workerData as SqliteFileOptions);
  port.on('message', (call: StoreCall) => {
    try {
      const value = (file[call.op] as (...a: unknown[]) => unknown)(...call.args);
      port.postMessage({ id: call.id, ok: true, value: value ?? null } satisfies StoreReply);
    } catch (err) {
      port.postMessage({ id: call.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies StoreReply);
    }
    if (call.op === 'close') port.close();
  });
}
