/*
 * AI Commons toolchain: additions to QuickJS 2021-03-27 that near-sdk-js 2.0.0's builder.c needs.
 * Appended to quickjs.c by toolchain/setup.mjs because they use QuickJS internals (JSString, JSModuleDef).
 * Written for this project; see docs/toolchain.md.
 */

/* The namespace object of an evaluated module: 2021-03-27 keeps js_get_module_ns static. */
JSValue JS_GetModuleNamespace(JSContext *ctx, JSModuleDef *m)
{
    return js_get_module_ns(ctx, m);
}

/* Latin-1 bytes to a string, one character per byte (near-sdk-js's "raw" byte strings). */
JSValue JS_NewStringLenRaw(JSContext *ctx, const char *buf, size_t buf_len)
{
    if (buf_len > JS_STRING_LEN_MAX)
        return JS_ThrowRangeError(ctx, "invalid string length");
    return js_new_string8(ctx, (const uint8_t *)buf, (int)buf_len);
}

/* A string to Latin-1 bytes, one byte per character, as near/quickjs v0.1.3 (near-sdk-js 2.0.0's runtime) does:
 * a non-string is converted with ToString first (an exception there stays pending); a string that QuickJS stores
 * with 16-bit characters, i.e. one holding a code unit above 0xFF, is refused: NULL with *plen = 0 and NO
 * exception, exactly as the reference (quickjs.c JS_ToCStringLenRaw, `if (!str->is_wide_char) ... else goto fail`).
 * builder.c does not check the result, so the reference's callers see zero bytes: `bytes("\u0101")` is an empty
 * Uint8Array and promise_batch_action_function_call_weight sends empty arguments; the earlier version here sent
 * each code unit's low byte instead. Unlike the reference, which returns a pointer into the string itself (and
 * builder.c then wraps that memory in a Uint8Array, aliasing the string), the bytes are a copy, allocated as an
 * 8-bit JSString so that JS_FreeCString can release it. */
const char *JS_ToCStringLenRaw(JSContext *ctx, size_t *plen, JSValueConst val1)
{
    JSValue val;
    JSString *str, *out;
    uint32_t len;

    if (plen)
        *plen = 0;
    val = JS_ToString(ctx, val1);
    if (JS_IsException(val))
        return NULL;
    str = JS_VALUE_GET_STRING(val);
    if (str->is_wide_char) {
        JS_FreeValue(ctx, val);
        return NULL;
    }
    len = str->len;
    out = js_alloc_string(ctx, len, 0);
    if (!out) {
        JS_FreeValue(ctx, val);
        return NULL;
    }
    memcpy(out->u.str8, str->u.str8, len);
    out->u.str8[len] = '\0';
    JS_FreeValue(ctx, val);
    if (plen)
        *plen = len;
    return (const char *)out->u.str8;
}

/* A host-function u64 argument, as near/quickjs v0.1.3's JS_ToUint64Ext (near-sdk-js 2.0.0's runtime):
 * - a BigInt must be an integer in [0, 2^64 - 1]; a negative one or one >= 2^64 fails (returns -1, no exception;
 *   builder.c then throws its own TypeError, e.g. "Expect Uint64 for gas"). This is the reference's
 *   JS_ToBigUint64 -> bf_get_uint64, whose BF_ST_INVALID_OP (sign set, or exponent > 64) is the failure;
 * - anything else goes through JS_ToInt64 unchanged (ToNumber, then modulo 2^64, truncating fractions; NaN and
 *   infinities give 0), so a Number never fails unless ToNumber throws: 2 ** 64 gives 0 and -1 gives 2^64 - 1 in
 *   the reference too.
 * The earlier version here was JS_ToInt64Ext, which took BigInts modulo 2^64 (2n ** 64n -> 0, -1n -> 2^64 - 1). */
int JS_ToUint64Ext(JSContext *ctx, uint64_t *pres, JSValueConst val)
{
    if (JS_IsBigInt(ctx, val))
        return bf_get_uint64(pres, JS_GetBigInt(val)) == BF_ST_INVALID_OP ? -1 : 0;
    return JS_ToInt64(ctx, (int64_t *)pres, val);
}
