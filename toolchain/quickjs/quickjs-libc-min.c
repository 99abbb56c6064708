/*
 * AI Commons toolchain: implementation of quickjs-libc-min.h. Written for this project.
 */
#include <string.h>
#include "quickjs-libc-min.h"

/* NEAR host function: aborts the call with a UTF-8 message. */
extern void panic_utf8(uint64_t len, uint64_t ptr);

static void panic_str(const char *prefix, const char *msg, size_t msg_len)
{
    size_t prefix_len = strlen(prefix);
    char *buf = malloc(prefix_len + msg_len);
    if (!buf) {
        panic_utf8(prefix_len, (uint64_t)(uintptr_t)prefix);
        return;
    }
    memcpy(buf, prefix, prefix_len);
    memcpy(buf + prefix_len, msg, msg_len);
    panic_utf8(prefix_len + msg_len, (uint64_t)(uintptr_t)buf);
}

/* Panics with "<prefix><message>\n<stack>" of the pending exception. Does not return. */
static void panic_with_exception(JSContext *ctx, const char *prefix)
{
    JSValue error = JS_GetException(ctx);
    JSValue message = JS_GetPropertyStr(ctx, error, "message");
    JSValue stack = JS_GetPropertyStr(ctx, error, "stack");
    size_t msg_len = 0, stack_len = 0;
    const char *msg_c, *stack_c;
    char *buf;

    /* a thrown non-Error value has no message: show the value itself */
    msg_c = JS_IsUndefined(message) ? JS_ToCStringLen(ctx, &msg_len, error) : JS_ToCStringLen(ctx, &msg_len, message);
    stack_c = JS_IsUndefined(stack) ? NULL : JS_ToCStringLen(ctx, &stack_len, stack);
    if (!msg_c) {
        msg_c = "unknown error";
        msg_len = strlen(msg_c);
    }
    buf = malloc(msg_len + 1 + stack_len);
    if (!buf) {
        panic_str(prefix, msg_c, msg_len);
        return;
    }
    memcpy(buf, msg_c, msg_len);
    if (stack_c && stack_len > 0) {
        buf[msg_len] = '\n';
        memcpy(buf + msg_len + 1, stack_c, stack_len);
        panic_str(prefix, buf, msg_len + 1 + stack_len);
    } else {
        panic_str(prefix, buf, msg_len);
    }
}

JSValue js_load_module_binary(JSContext *ctx, const uint8_t *buf, size_t buf_len)
{
    JSValue obj, val;
    JSModuleDef *m;

    obj = JS_ReadObject(ctx, buf, buf_len, JS_READ_OBJ_BYTECODE);
    if (JS_IsException(obj))
        panic_with_exception(ctx, "contract bytecode could not be read: ");
    if (JS_VALUE_GET_TAG(obj) != JS_TAG_MODULE) {
        static const char msg[] = "contract bytecode is not a module (build it with qjsc -m)";
        panic_utf8(sizeof(msg) - 1, (uint64_t)(uintptr_t)msg);
    }
    /* JS_EvalFunction consumes obj; the module definition itself stays owned by the context. */
    m = JS_VALUE_GET_PTR(obj);
    if (JS_ResolveModule(ctx, obj) < 0)
        panic_with_exception(ctx, "contract module could not be linked: ");
    val = JS_EvalFunction(ctx, obj);
    if (JS_IsException(val))
        panic_with_exception(ctx, "contract module failed to load: ");
    JS_FreeValue(ctx, val);
    val = JS_GetModuleNamespace(ctx, m);
    if (JS_IsException(val))
        panic_with_exception(ctx, "contract module namespace: ");
    return val;
}

void js_std_loop(JSContext *ctx)
{
    JSContext *job_ctx;
    int err;

    for (;;) {
        err = JS_ExecutePendingJob(JS_GetRuntime(ctx), &job_ctx);
        if (err == 0)
            break;
        if (err < 0)
            panic_with_exception(job_ctx, "");
    }
}
