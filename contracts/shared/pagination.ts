import { ensure } from "./errors";

export const MAX_PAGE = 100;

// Turns optional (from_index, limit) into a checked [start, end) range over `total` items.
// Views never iterate a whole collection: a page holds at most `max` items.
export function pageRange(
  from_index: number | undefined,
  limit: number | undefined,
  total: number,
  max: number = MAX_PAGE,
): [number, number] {
  const start = from_index === undefined ? 0 : from_index;
  const size = limit === undefined ? max : limit;
  ensure(isIndex(start), "ERR_INVALID_PAGINATION", "from_index");
  ensure(isIndex(size) && size >= 1 && size <= max, "ERR_INVALID_PAGINATION", `limit must be 1..${max}`);
  const end = start + size > total ? total : start + size;
  return [start, end < start ? start : end];
}

// One page of items 0..total-1 read by `get` (an item it returns null for is skipped): the loop every paginated
// view of an indexed collection runs.
export function page<T>(
  from_index: number | undefined,
  limit: number | undefined,
  total: number,
  get: (index: number) => T | null,
): T[] {
  const [start, end] = pageRange(from_index, limit, total);
  const out: T[] = [];
  for (let i = start; i < end; i++) {
    const v = get(i);
    if (v !== null) out.push(v);
  }
  return out;
}

function isIndex(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 0 && n <= 4294967295;
}
