// Runs inside the page (passed to page.evaluate, so it must not use anything from outside itself).
// Problems an automated look can find: form controls without a label, a page without exactly one h1,
// duplicate ids, and text whose contrast with its background is below WCAG AA (4.5:1; 3:1 for large
// text). It does not replace a person using the pages with a keyboard and a screen reader.

export function accessibilityAudit() {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };

  for (const control of document.querySelectorAll('input, select, textarea')) {
    if (control.type === 'hidden' || !visible(control)) continue;
    if (
      !control.labels?.length &&
      !control.getAttribute('aria-label') &&
      !control.getAttribute('aria-labelledby')
    )
      problems.push(`unlabelled ${control.tagName.toLowerCase()} ${control.name || control.id}`);
  }
  const h1s = document.querySelectorAll('main h1');
  if (h1s.length !== 1) problems.push(`${h1s.length} h1 headings in main`);
  const ids = new Map();
  for (const el of document.querySelectorAll('[id]')) ids.set(el.id, (ids.get(el.id) ?? 0) + 1);
  for (const [id, n] of ids) if (n > 1) problems.push(`id "${id}" is used ${n} times`);

  const rgb = (colour) => {
    const m = colour.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r = 0, g = 0, b = 0, a = 1] = m[1]
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const channel = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };

  const checked = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || checked.has(el) || !node.textContent.trim() || !visible(el)) continue;
    if (el.closest('.visually-hidden, [hidden], button:disabled')) continue;
    checked.add(el);
    const style = getComputedStyle(el);
    const fg = rgb(style.color);
    if (!fg) continue;
    const [hi, lo] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5))
      problems.push(`contrast ${ratio.toFixed(2)}:1 for "${node.textContent.trim().slice(0, 40)}"`);
  }
  return problems;
}
