// Reading NEP-297 events back out of a receipt's logs: one parser for everything that reads `EVENT_JSON:` lines (the
// web app's events feed, web/src/event-scan.ts, and the sandbox tests' helpers/tx.ts). The shapes of each event's
// data are in events.ts; this module only splits a log line. Data only (no near-sdk-js import, no contract imports
// it, so it is part of no contract's source hash).
import { EVENT_STANDARDS } from "./events.js";
import type { ContractName } from "./contracts.js";

export const EVENT_PREFIX = "EVENT_JSON:";

/** A NEP-297 event as the contracts log it (`EVENT_JSON:{...}`). */
export interface NepEvent<D = Record<string, unknown>> {
  standard: string;
  version: string;
  event: string;
  data: D[];
}

/**
 * The event of one log line: null when the line is not an event (no `EVENT_JSON:` prefix); an Error when it has the
 * prefix but is not a NEP-297 event (not JSON, or no string `standard` / `version` / `event`, or no `data` array).
 */
export function parseEventLog<D = Record<string, unknown>>(line: string): NepEvent<D> | null {
  if (!line.startsWith(EVENT_PREFIX)) return null;
  const e = JSON.parse(line.slice(EVENT_PREFIX.length)) as Partial<NepEvent<D>> | null;
  if (
    e === null ||
    typeof e !== "object" ||
    typeof e.standard !== "string" ||
    typeof e.version !== "string" ||
    typeof e.event !== "string" ||
    !Array.isArray(e.data)
  ) {
    throw new Error(`not a NEP-297 event: ${line.slice(0, 120)}`);
  }
  return e as NepEvent<D>;
}

/** The NEP-297 events among `logs`, in order (a malformed event line throws, see parseEventLog). */
export function eventsOfLogs<D = Record<string, unknown>>(logs: readonly string[]): NepEvent<D>[] {
  const out: NepEvent<D>[] = [];
  for (const l of logs) {
    const e = parseEventLog<D>(l);
    if (e) out.push(e);
  }
  return out;
}

/** The suite contract whose NEP-297 `standard` this is (events.ts EVENT_STANDARDS), or null for another's. */
export function contractOfStandard(standard: string): ContractName | null {
  for (const [name, s] of Object.entries(EVENT_STANDARDS)) if (s.standard === standard) return name as ContractName;
  return null;
}
