// The addresses of the single-page client: shared by the entry (which starts a match page's look-ups early) and the router.
const CODE = '([A-Za-z][A-Za-z-]{4,10})';
/** a match page: /join|play|projector|facilitate/<code> */
export const MATCH_PATH = new RegExp(`^/(join|play|projector|facilitate)/${CODE}/?$`);
export const DEBRIEF_PATH = new RegExp(`^/debrief/${CODE}/?$`);
