import { fill, h } from './dom.js';

// Long lists, sorted and paged. A column with a `sort` key has a button in its header (aria-sort says
// the order); the pager says which rows are shown and moves a page at a time. `localList` sorts and pages
// in the browser; a page that sorts and pages on the server (the registry's search) uses `sortableTable`
// and `pager` with its own loading.

/**
 * columns: [{ label, sort?: string }]; rows: [{ cells, attrs? }]; sorted: { key, order } of the list.
 * Each cell carries its column's label for the narrow-screen layout.
 */
export function sortableTable({ caption, columns, rows, sorted = null, onSort = null, className = '' }) {
  const header = columns.map((c) => {
    if (!c.sort || !onSort) return h('th', { scope: 'col' }, c.label);
    const active = sorted?.key === c.sort;
    const next = active && sorted.order === 'asc' ? 'desc' : 'asc';
    return h(
      'th',
      { scope: 'col', 'aria-sort': active ? (sorted.order === 'asc' ? 'ascending' : 'descending') : null },
      h(
        'button',
        {
          type: 'button',
          class: 'sort-button',
          'data-sort': c.sort,
          onclick: () => onSort({ key: c.sort, order: next }),
        },
        c.label,
        h(
          'span',
          { 'aria-hidden': 'true', class: 'sort-button__arrow' },
          active ? (sorted.order === 'asc' ? ' ▲' : ' ▼') : ' ↕',
        ),
        h('span', { class: 'visually-hidden' }, active ? '' : ', sort'),
      ),
    );
  });
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: `table ${className}` },
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, header)),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            row.attrs ?? {},
            row.cells.map((cell, i) =>
              i === 0
                ? h('th', { scope: 'row', 'data-label': columns[i].label }, cell)
                : h('td', { 'data-label': columns[i].label }, cell),
            ),
          ),
        ),
      ),
    ),
  );
}

/** "Showing 26 to 50 of 180" with Previous and Next; `onPage(n)` loads page n. */
export function pager({ page, pages, total, pageSize, onPage, label = 'Pages' }) {
  if (total <= pageSize) return null;
  const from = (page - 1) * pageSize + 1;
  const to = Math.min(page * pageSize, total);
  return h(
    'nav',
    { class: 'pager', 'aria-label': label },
    h(
      'button',
      {
        type: 'button',
        class: 'button button--secondary button--small',
        disabled: page <= 1,
        onclick: () => onPage(page - 1),
      },
      '◀ Previous',
    ),
    h(
      'p',
      { class: 'pager__status', 'aria-live': 'polite', tabindex: '-1' },
      `Showing ${from} to ${to} of ${total} (page ${page} of ${pages})`,
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'button button--secondary button--small',
        disabled: page >= pages,
        onclick: () => onPage(page + 1),
      },
      'Next ▶',
    ),
  );
}

const compare = (a, b) =>
  typeof a === 'number' && typeof b === 'number'
    ? a - b
    : String(a ?? '').localeCompare(String(b ?? ''), 'en-GB', { numeric: true });

/**
 * A list sorted and paged in the browser. columns: [{ label, sort?, value?: item => sortable }];
 * row(item) gives { cells, attrs? }. Returns { el, setItems }.
 */
export function localList({
  caption,
  columns,
  items,
  row,
  pageSize = 25,
  sorted = null,
  className = '',
  empty = null,
}) {
  const el = h('div', { class: 'local-list' });
  let all = items;
  let order = sorted;
  let page = 1;
  const draw = (focusSort = null) => {
    const column = order ? columns.find((c) => c.sort === order.key) : null;
    const list = column
      ? [...all].sort((a, b) => compare(column.value(a), column.value(b)) * (order.order === 'asc' ? 1 : -1))
      : all;
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    page = Math.min(page, pages);
    const shown = list.slice((page - 1) * pageSize, page * pageSize);
    if (list.length === 0 && empty) {
      el.replaceChildren(empty);
      return;
    }
    fill(
      el,
      sortableTable({
        caption: typeof caption === 'function' ? caption(list.length) : caption,
        columns,
        rows: shown.map(row),
        sorted: order,
        className,
        onSort: (next) => {
          order = next;
          page = 1;
          draw(next.key);
        },
      }),
      pager({
        page,
        pages,
        total: list.length,
        pageSize,
        onPage: (n) => {
          page = n;
          draw();
          el.querySelector('.pager__status')?.focus();
        },
      }),
    );
    if (focusSort) el.querySelector(`[data-sort="${focusSort}"]`)?.focus();
  };
  draw();
  return {
    el,
    setItems(next) {
      all = next;
      page = 1;
      draw();
    },
  };
}
