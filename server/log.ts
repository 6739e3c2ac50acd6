// Structured logs (pino): one JSON line per event, never a secret in them.
import { pino, type Logger } from 'pino';

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  // redact anything that looks like a secret, in case one ever reaches a log call
  const redact = { paths: ['*.seatToken', '*.facilitatorKey', 'seatToken', 'facilitatorKey', '*.key', 'key'], censor: '[secret]' };
  return options.destination ? pino({ level, redact }, options.destination as never) : pino({ level, redact });
}

export type { Logger };
