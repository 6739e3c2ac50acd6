// V8's one shared copy of a string. Property names always are such copies, so reading one back gives it.
// Ids the engine looks up and compares all the time should be: a lookup by a string the YAML parser (or split) made
// hashes it and searches the string table again at every use, where a shared copy is found by its address.
export const shared = (s: string): string => Object.keys({ [s]: 0 })[0];
