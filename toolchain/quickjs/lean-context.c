/*
 * AI Commons toolchain: the lean runtime profile's JS context. Written for this project; see docs/toolchain.md.
 *
 * Compared with near-sdk-js's context it leaves out Eval (which drops the whole JS parser: a contract runs only
 * bytecode made by qjsc), RegExp, Proxy, String.prototype.normalize and Date. near-sdk-js tests `x instanceof Date`
 * while loading state, so Date is a stub constructor that throws when called. `global` names the global object
 * for libraries that look for it instead of evaluating `Function('return this')()`.
 */
#include "quickjs-libc-min.h"
#include "lean-context.h"

static JSValue lean_date_unavailable(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
    return JS_ThrowTypeError(ctx, "Date is not available in the lean runtime profile (build with the stock profile)");
}

JSContext *near_lean_context(JSRuntime *rt)
{
    JSContext *ctx = JS_NewContextRaw(rt);
    JSValue global, date, date_proto;

    if (!ctx)
        return NULL;
    JS_AddIntrinsicBaseObjects(ctx);
    JS_AddIntrinsicJSON(ctx);
    JS_AddIntrinsicMapSet(ctx);
    JS_AddIntrinsicTypedArrays(ctx);
    JS_AddIntrinsicPromise(ctx);
    JS_AddIntrinsicBigInt(ctx);

    global = JS_GetGlobalObject(ctx);
    date = JS_NewCFunction2(ctx, lean_date_unavailable, "Date", 7, JS_CFUNC_constructor_or_func, 0);
    date_proto = JS_NewObject(ctx);
    JS_SetConstructor(ctx, date, date_proto);
    JS_FreeValue(ctx, date_proto);
    JS_SetPropertyStr(ctx, global, "Date", date);
    JS_SetPropertyStr(ctx, global, "global", JS_DupValue(ctx, global));
    JS_FreeValue(ctx, global);
    return ctx;
}
