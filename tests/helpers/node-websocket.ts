// Test clients use the `ws` package: Node's built-in WebSocket (undici) has been seen holding a received
// frame back until the next one arrives, which made clients look minutes behind a correct server.
(globalThis as { WebSocket?: unknown }).WebSocket = undefined;
