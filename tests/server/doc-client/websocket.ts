// docs/protocol.md, section 2: in Node the SDK should use the `ws` package, so Node's own WebSocket is
// hidden before @colyseus/sdk is first imported (import this module first).
(globalThis as { WebSocket?: unknown }).WebSocket = undefined;
