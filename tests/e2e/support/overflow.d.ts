export function horizontalOverflow(): string | null;
