// The mechanisms a lever can drive, apart from the rule-file schema (zod) so that the engine can name them without it
// (the browser's forecast runs the engine).
/** Mechanisms a lever can drive; code holds these, rule files choose which roles hold them. */
export const LEVER_EFFECTS = [
  'chips', // buy training chips through the side's channels
  'power', // data centres and power capacity
  'fabs', // domestic fabs: chips after a lag
  'algorithms', // research that adds algorithmic progress
  'greyMarket', // smuggled chips through Tier-2 hubs
  'enforcement', // export-control enforcement (seizure chance)
  'antiDistillation', // account verification and detection
  'distillation', // fake-account campaigns against the other side's models
  'intelligence', // better estimates of the other side
  'safety', // safety research, institutes, safeguards
  'adoption', // allied / global adoption of the side's AI
] as const;
