// Whether the engine may compile code from strings (new Function) for its hot loops: in Node (the server, the
// simulator, their workers) yes; in a browser page the content security policy (script-src 'self') forbids it, and
// every attempt would log a refusal, so the page takes the plain loops from the start.
const node = (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node;

export const mayCompile = typeof node === 'string';
