// Runs inside the page (passed to page.evaluate): is anything wider than the screen? Returns null when
// the page fits, else what sticks out furthest, so the message says what to fix.

export function horizontalOverflow() {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let worst = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && (!worst || r.right > worst.right))
      worst = { what: `${el.tagName.toLowerCase()}.${el.className}`, right: Math.round(r.right) };
  }
  return `the page is ${document.documentElement.scrollWidth} px wide on a ${width} px screen (furthest out: ${worst?.what} to ${worst?.right} px)`;
}
