// The SQL a read-model query becomes: filters on a table's declared columns (never a name from outside
// the table's spec), the key always last in the order so pages are stable, LIMIT and OFFSET as parameters.

export interface RowFilter {
  column: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'like' | 'in' | 'is null' | 'not null';
  value?: string | number | (string | number)[];
}

export interface RowQuery {
  where?: RowFilter[];
  /** `key` or a column; the key always ends the order, so pages are stable. */
  orderBy?: { column: string; desc?: boolean }[];
  limit?: number;
  offset?: number;
}

/** What a query needs of a generation: its tables and their columns. */
type Tables = { tables: { name: string; columns: { name: string }[] }[] };

export const NAME = /^[a-z][a-z0-9_]*$/;
const OPS = new Set(['=', '<', '<=', '>', '>=', 'like', 'in', 'is null', 'not null']);

export function tableName(generation: number, table: string): string {
  if (!NAME.test(table)) throw new Error(`not a read model: ${table}`);
  return `g${generation}_${table}`;
}

export function columnOf(generation: Tables, table: string, column: string): string {
  if (column === 'key') return 'key';
  const spec = generation.tables.find((t) => t.name === table);
  if (!spec?.columns.some((c) => c.name === column))
    throw new Error(`read model ${table} has no column ${column}`);
  return `c_${column}`;
}

/** A SELECT of `what` from a generation's table, filtered, in a stable order (the key last) and paged. */
export function buildQuery(
  generation: Tables & { id: number },
  table: string,
  what: string,
  q: RowQuery,
  ordered = true,
) {
  const params: (string | number)[] = [];
  const where = (q.where ?? []).map((f) => {
    if (!OPS.has(f.op)) throw new Error(`not a filter: ${f.op}`);
    const column = columnOf(generation, table, f.column);
    if (f.op === 'is null' || f.op === 'not null')
      return `${column} ${f.op === 'is null' ? 'IS NULL' : 'IS NOT NULL'}`;
    if (f.op === 'in') {
      const list = f.value as (string | number)[];
      params.push(...list);
      return list.length ? `${column} IN (${list.map(() => '?').join(', ')})` : '0';
    }
    params.push(f.value as string | number);
    return `${column} ${f.op === 'like' ? 'LIKE' : f.op} ?`;
  });
  let sql = `SELECT ${what} FROM ${tableName(generation.id, table)}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (ordered) {
    const order = (q.orderBy ?? [])
      .filter((o) => o.column !== 'key')
      .map((o) => `${columnOf(generation, table, o.column)}${o.desc ? ' DESC' : ''}`);
    const keyDesc = q.orderBy?.find((o) => o.column === 'key')?.desc;
    sql += ` ORDER BY ${[...order, `key${keyDesc ? ' DESC' : ''}`].join(', ')}`;
    if (q.limit !== undefined || q.offset !== undefined) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(q.limit ?? -1, q.offset ?? 0);
    }
  }
  return { sql, params };
}
