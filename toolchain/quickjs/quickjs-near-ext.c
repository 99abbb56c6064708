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

/* A string to Latin-1 bytes, one byte per UTF-16 code unit (low byte, as Node's Buffer 'latin1' does).
 * The result is allocated as an 8-bit JSString so that JS_FreeCString can release it. */
const char *JS_ToCStringLenRaw(JSContext *ctx, size_t *plen, JSValueConst val1)
{
    JSValue val;
    JSString *str, *out;
    uint32_t i, len;

    if (plen)
        *plen = 0;
    val = JS_ToString(ctx, val1);
    if (JS_IsException(val))
        return NULL;
    str = JS_VALUE_GET_STRING(val);
    len = str->len;
    out = js_alloc_string(ctx, len, 0);
    if (!out) {
        JS_FreeValue(ctx, val);
        return NULL;
    }
    if (str->is_wide_char) {
        for (i = 0; i < len; i++)
            out->u.str8[i] = (uint8_t)str->u.str16[i];
    } else {
        memcpy(out->u.str8, str->u.str8, len);
    }
    out->u.str8[len] = '\0';
    JS_FreeValue(ctx, val);
    if (plen)
        *plen = len;
    return (const char *)out->u.str8;
}

/* Number or BigInt to the low 64 bits, unsigned (ToBigUint64 semantics for BigInt, modular for Number). */
int JS_ToUint64Ext(JSContext *ctx, uint64_t *pres, JSValueConst val)
{
    return JS_ToInt64Ext(ctx, (int64_t *)pres, val);
}
