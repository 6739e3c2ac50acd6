// Test clients use the \`ws\` package rather than Node's built-in WebSocket (undici), so the SDK behaves as it
// does in the load scripts; the SDK reads globalThis.WebSocket when it loads.
import { WebSocket } from 'ws';
(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
