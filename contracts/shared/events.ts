import { near } from "near-sdk-js";

// NEP-297: one log line per event, `EVENT_JSON:` followed by {standard, version, event, data}.
export function emitEvent(standard: string, version: string, event: string, data: unknown): void {
  near.log(`EVENT_JSON:${JSON.stringify({ standard, version, event, data })}`);
}

export type Emitter = (event: string, data: unknown) => void;

export function eventEmitter(standard: string, version: string): Emitter {
  return (event, data) => emitEvent(standard, version, event, data);
}
