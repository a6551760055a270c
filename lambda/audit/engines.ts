/**
 * Engine detection: which NetworkPolicy engine enforces policies on a cluster. The modules under `engines/` hold the
 * add-on configuration parsing, agent flag parsing, one rule per engine, EKS Auto Mode and the verdict assembly; this
 * index is what the rest of the audit imports.
 */
export { detectEngine } from './engines/verdict.js';
export { daemonSetsUnread, type MissingInput } from './engines/inputs.js';
export { engineOfAgent } from './engines/rules/index.js';
export { AUTO_MODE_BASIS, autoModeEvidence, eksAutoMode, type AutoMode } from './engines/vpc-cni/auto-mode.js';
