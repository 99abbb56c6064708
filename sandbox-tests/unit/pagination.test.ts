// contracts/shared/pagination.ts pageRange: the [start, end) every paged view reads, and its refusals.
import { panics } from "./host.ts";
import test from "ava";
import { MAX_PAGE, pageRange } from "../../contracts/shared/pagination.ts";

test("defaults: from 0, a full page of MAX_PAGE (100), cut at the total", (t) => {
  t.is(MAX_PAGE, 100);
  t.deepEqual(pageRange(undefined, undefined, 250), [0, 100]);
  t.deepEqual(pageRange(undefined, undefined, 7), [0, 7]);
  t.deepEqual(pageRange(undefined, undefined, 0), [0, 0]);
});

test("a page in the middle, the last partial page, and a start past the end (empty, never negative)", (t) => {
  t.deepEqual(pageRange(100, 100, 250), [100, 200]);
  t.deepEqual(pageRange(200, undefined, 250), [200, 250]);
  t.deepEqual(pageRange(5, 3, 7), [5, 7]);
  t.deepEqual(pageRange(249, 1, 250), [249, 250]);
  t.deepEqual(pageRange(250, 1, 250), [250, 250]);
  t.deepEqual(pageRange(300, 10, 250), [300, 300]);
  t.deepEqual(pageRange(4294967295, 1, 3), [4294967295, 4294967295]);
});

test("limit bounds: 1..max, max defaulting to MAX_PAGE", (t) => {
  t.deepEqual(pageRange(0, 1, 250), [0, 1]);
  t.deepEqual(pageRange(0, 100, 250), [0, 100]);
  panics(t, () => pageRange(0, 101, 250), "ERR_INVALID_PAGINATION: limit must be 1..100");
  panics(t, () => pageRange(0, 0, 250), "ERR_INVALID_PAGINATION: limit must be 1..100");
  panics(t, () => pageRange(0, 2.5, 250), "ERR_INVALID_PAGINATION: limit must be 1..100");
  t.deepEqual(pageRange(0, 10, 250, 10), [0, 10]);
  t.deepEqual(pageRange(0, undefined, 250, 10), [0, 10]);
  panics(t, () => pageRange(0, 11, 250, 10), "ERR_INVALID_PAGINATION: limit must be 1..10");
});

test("from_index: a whole number in 0..u32::MAX", (t) => {
  panics(t, () => pageRange(-1, 10, 250), "ERR_INVALID_PAGINATION: from_index");
  panics(t, () => pageRange(1.5, 10, 250), "ERR_INVALID_PAGINATION: from_index");
  panics(t, () => pageRange(4294967296, 10, 250), "ERR_INVALID_PAGINATION: from_index");
  panics(t, () => pageRange("3" as unknown as number, 10, 250), "ERR_INVALID_PAGINATION: from_index");
  panics(t, () => pageRange(Number.NaN, 10, 250), "ERR_INVALID_PAGINATION: from_index");
});
