/** Runs in the page: what an automated look finds wrong (see accessibility-audit.js). */
export function accessibilityAudit(): string[];
