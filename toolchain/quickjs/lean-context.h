/* AI Commons toolchain: the lean runtime profile's context (lean-context.c). */
#ifndef LEAN_CONTEXT_H
#define LEAN_CONTEXT_H
#include "quickjs.h"
JSContext *near_lean_context(JSRuntime *rt);
#endif
