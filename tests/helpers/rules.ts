// Loads the shipped rule files once per test file.
import { fileURLToPath } from 'node:url';
import { loadRulesFile } from '../../shared/rules/load.ts';

export const rulesPath = (name: string) => fileURLToPath(new URL(`../../assets/rules/${name}`, import.meta.url));
export const defaultRules = () => loadRulesFile(rulesPath('default.yaml'));
