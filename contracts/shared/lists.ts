// Append-only lists kept in two JsonMaps: items under "<list>/<i>" and each list's length under "<list>".
// Used for per-name version lists and reverse indexes, which grow without bound and so cannot live in STATE.
import type { JsonMap } from "./json-store";
import { page } from "./pagination";

export function listLength(lengths: JsonMap<number>, list: string): number {
  return lengths.get(list) ?? 0;
}

export function listPush(items: JsonMap<string>, lengths: JsonMap<number>, list: string, value: string): number {
  const n = listLength(lengths, list);
  items.set(`${list}/${n}`, value);
  lengths.set(list, n + 1);
  return n;
}

export function listGet(items: JsonMap<string>, list: string, index: number): string | null {
  return items.get(`${list}/${index}`);
}

// Removes the last item; callers only pop what they pushed last (newest version of a name).
export function listPop(items: JsonMap<string>, lengths: JsonMap<number>, list: string): void {
  const n = listLength(lengths, list);
  if (n === 0) return;
  items.remove(`${list}/${n - 1}`);
  if (n === 1) lengths.remove(list);
  else lengths.set(list, n - 1);
}

export function listPage(
  items: JsonMap<string>,
  lengths: JsonMap<number>,
  list: string,
  from_index: number | undefined,
  limit: number | undefined,
): string[] {
  return page(from_index, limit, listLength(lengths, list), (i) => items.get(`${list}/${i}`) as string);
}
