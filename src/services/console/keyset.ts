/** A row's place in an order by (time, id): where the previous page ended. */
export type PageEnd = { at: Date; id: string };

/**
 * The rows after `last` in (`column`, id) order, as a range on the time column plus the ties at its edge.
 * Not Prisma's cursor (skip + cursor): its OR of two conditions made SQLite sort every remaining row for
 * each page, so a page cost the whole table (EXPLAIN: MULTI-INDEX OR, TEMP B-TREE FOR ORDER BY).
 */
export function afterPageEnd(column: string, last: PageEnd | undefined, direction: 'asc' | 'desc'): object[] {
  if (!last) return [];
  return direction === 'desc'
    ? [{ [column]: { lte: last.at } }, { NOT: { [column]: last.at, id: { gte: last.id } } }]
    : [{ [column]: { gte: last.at } }, { NOT: { [column]: last.at, id: { lte: last.id } } }];
}
