/*
 * AI Commons toolchain: the minimal QuickJS "libc" that near-sdk-js 2.0.0's builder.c includes.
 * Only what a NEAR contract needs: load the contract's module bytecode and drain pending jobs.
 * Written for this project; see docs/toolchain.md.
 */
#ifndef QUICKJS_LIBC_MIN_H
#define QUICKJS_LIBC_MIN_H

#include <stdint.h>
#include <stdlib.h>
#include "quickjs.h"
#include "libbf.h"

/* builder.c uses QuickJS's boolean constants, which upstream keeps in cutils.h */
#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* Exposed from quickjs.c by the toolchain's adjustments (static upstream). */
JSValue JS_NewBigInt(JSContext *ctx);
bf_t *JS_GetBigInt(JSValueConst val);
JSValue JS_GetModuleNamespace(JSContext *ctx, JSModuleDef *m);
int JS_ToUint64Ext(JSContext *ctx, uint64_t *pres, JSValueConst val);
const char *JS_ToCStringLenRaw(JSContext *ctx, size_t *plen, JSValueConst val1);
JSValue JS_NewStringLenRaw(JSContext *ctx, const char *buf, size_t buf_len);

/* Reads module bytecode written by qjsc -m, links and evaluates it, returns its namespace object.
 * Any failure panics the contract with the JS error message and stack. */
JSValue js_load_module_binary(JSContext *ctx, const uint8_t *buf, size_t buf_len);

/* Runs pending jobs (promise reactions) until none is left; an exception in a job panics the contract. */
void js_std_loop(JSContext *ctx);

#endif
