// Host functions of nearcore protocol 86 that near-sdk-js 2.0.0's builder.c does not bind, in builder.c's style.
// Included into our copy of builder.c (toolchain/lib/contract-build.mjs) just before js_add_near_host_functions,
// so it uses builder.c's own helpers (JS_Uint8Array_to_C, JS_ToUint64Ext), and registered on the same `env` object.
// Signatures: nearcore runtime/near-vm-runner/src/imports.rs (near-vm-runner 0.37.4).
//   env.promise_batch_action_deploy_global_contract(promise_index, code: Uint8Array)             NEP-591, by hash
//   env.promise_batch_action_deploy_global_contract_by_account_id(promise_index, code: Uint8Array)
//   env.promise_batch_action_use_global_contract(promise_index, code_hash: Uint8Array)           32 bytes
//   env.promise_batch_action_use_global_contract_by_account_id(promise_index, account_id: string)
//   env.promise_yield_create(method_name: string, args: Uint8Array, gas, gas_weight, register_id) -> bigint
//   env.promise_yield_resume(data_id: Uint8Array, payload: Uint8Array) -> boolean
//   env.ed25519_verify(signature: Uint8Array, message: Uint8Array, public_key: Uint8Array) -> boolean
//   env.p256_verify(signature: Uint8Array, message: Uint8Array, public_key: Uint8Array) -> boolean
// Every contract imports them (they are reachable from `env`); nodes below protocol 85 (p256_verify) or 78 (global
// contracts) refuse such a contract at link time, so the suite needs nearcore >= 2.13.

extern void promise_batch_action_deploy_global_contract(uint64_t promise_index, uint64_t code_len, uint64_t code_ptr);
extern void promise_batch_action_deploy_global_contract_by_account_id(uint64_t promise_index, uint64_t code_len, uint64_t code_ptr);
extern void promise_batch_action_use_global_contract(uint64_t promise_index, uint64_t code_hash_len, uint64_t code_hash_ptr);
extern void promise_batch_action_use_global_contract_by_account_id(uint64_t promise_index, uint64_t account_id_len, uint64_t account_id_ptr);
extern uint64_t promise_yield_create(uint64_t method_name_len, uint64_t method_name_ptr, uint64_t arguments_len, uint64_t arguments_ptr, uint64_t gas, uint64_t gas_weight, uint64_t register_id);
extern uint32_t promise_yield_resume(uint64_t data_id_len, uint64_t data_id_ptr, uint64_t payload_len, uint64_t payload_ptr);
extern uint64_t ed25519_verify(uint64_t sig_len, uint64_t sig_ptr, uint64_t msg_len, uint64_t msg_ptr, uint64_t pub_key_len, uint64_t pub_key_ptr);
extern uint64_t p256_verify(uint64_t sig_len, uint64_t sig_ptr, uint64_t msg_len, uint64_t msg_ptr, uint64_t pub_key_len, uint64_t pub_key_ptr);

static JSValue near_ext_bytes_action(JSContext *ctx, JSValueConst *argv, void (*action)(uint64_t, uint64_t, uint64_t), const char *what)
{
  uint64_t promise_index;
  uint8_t *ptr;
  size_t len;

  if (JS_ToUint64Ext(ctx, &promise_index, argv[0]) < 0) {
    return JS_ThrowTypeError(ctx, "Expect Uint64 for promise_index");
  }
  ptr = JS_Uint8Array_to_C(ctx, argv[1], &len);
  if (ptr == NULL) {
    return JS_ThrowTypeError(ctx, "Expect Uint8Array for %s", what);
  }
  action(promise_index, len, (uint64_t)ptr);
  return JS_UNDEFINED;
}

static JSValue near_promise_batch_action_deploy_global_contract(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  return near_ext_bytes_action(ctx, argv, promise_batch_action_deploy_global_contract, "code");
}

static JSValue near_promise_batch_action_deploy_global_contract_by_account_id(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  return near_ext_bytes_action(ctx, argv, promise_batch_action_deploy_global_contract_by_account_id, "code");
}

static JSValue near_promise_batch_action_use_global_contract(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  return near_ext_bytes_action(ctx, argv, promise_batch_action_use_global_contract, "code_hash");
}

static JSValue near_promise_batch_action_use_global_contract_by_account_id(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  uint64_t promise_index;
  const char *account_id_ptr;
  size_t account_id_len;

  if (JS_ToUint64Ext(ctx, &promise_index, argv[0]) < 0) {
    return JS_ThrowTypeError(ctx, "Expect Uint64 for promise_index");
  }
  account_id_ptr = JS_ToCStringLen(ctx, &account_id_len, argv[1]);
  if (account_id_ptr == NULL) {
    return JS_ThrowTypeError(ctx, "Expect String for account_id");
  }
  promise_batch_action_use_global_contract_by_account_id(promise_index, account_id_len, (uint64_t)account_id_ptr);
  JS_FreeCString(ctx, account_id_ptr);
  return JS_UNDEFINED;
}

static JSValue near_promise_yield_create(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  const char *method_name_ptr;
  size_t method_name_len, arguments_len;
  uint8_t *arguments_ptr;
  uint64_t gas, gas_weight, register_id, ret;

  method_name_ptr = JS_ToCStringLen(ctx, &method_name_len, argv[0]);
  if (method_name_ptr == NULL) {
    return JS_ThrowTypeError(ctx, "Expect String for method_name");
  }
  arguments_ptr = JS_Uint8Array_to_C(ctx, argv[1], &arguments_len);
  if (arguments_ptr == NULL) {
    JS_FreeCString(ctx, method_name_ptr);
    return JS_ThrowTypeError(ctx, "Expect Uint8Array for arguments");
  }
  if (JS_ToUint64Ext(ctx, &gas, argv[2]) < 0 || JS_ToUint64Ext(ctx, &gas_weight, argv[3]) < 0 ||
      JS_ToUint64Ext(ctx, &register_id, argv[4]) < 0) {
    JS_FreeCString(ctx, method_name_ptr);
    return JS_ThrowTypeError(ctx, "Expect Uint64 for gas, gas_weight and register_id");
  }
  ret = promise_yield_create(method_name_len, (uint64_t)method_name_ptr, arguments_len, (uint64_t)arguments_ptr, gas, gas_weight, register_id);
  JS_FreeCString(ctx, method_name_ptr);
  return JS_NewBigUint64(ctx, ret);
}

static JSValue near_promise_yield_resume(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  uint8_t *data_id_ptr, *payload_ptr;
  size_t data_id_len, payload_len;

  data_id_ptr = JS_Uint8Array_to_C(ctx, argv[0], &data_id_len);
  payload_ptr = JS_Uint8Array_to_C(ctx, argv[1], &payload_len);
  if (data_id_ptr == NULL || payload_ptr == NULL) {
    return JS_ThrowTypeError(ctx, "Expect Uint8Array for data_id and payload");
  }
  return JS_NewBool(ctx, promise_yield_resume(data_id_len, (uint64_t)data_id_ptr, payload_len, (uint64_t)payload_ptr) == 1);
}

static JSValue near_ext_verify(JSContext *ctx, JSValueConst *argv, uint64_t (*verify)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t))
{
  uint8_t *sig_ptr, *msg_ptr, *pk_ptr;
  size_t sig_len, msg_len, pk_len;

  sig_ptr = JS_Uint8Array_to_C(ctx, argv[0], &sig_len);
  msg_ptr = JS_Uint8Array_to_C(ctx, argv[1], &msg_len);
  pk_ptr = JS_Uint8Array_to_C(ctx, argv[2], &pk_len);
  if (sig_ptr == NULL || msg_ptr == NULL || pk_ptr == NULL) {
    return JS_ThrowTypeError(ctx, "Expect Uint8Array for signature, message and public_key");
  }
  return JS_NewBool(ctx, verify(sig_len, (uint64_t)sig_ptr, msg_len, (uint64_t)msg_ptr, pk_len, (uint64_t)pk_ptr) == 1);
}

static JSValue near_ed25519_verify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  return near_ext_verify(ctx, argv, ed25519_verify);
}

static JSValue near_p256_verify(JSContext *ctx, JSValueConst this_val, int argc, JSValueConst *argv)
{
  return near_ext_verify(ctx, argv, p256_verify);
}

static void near_host_ext_add(JSContext *ctx, JSValue env)
{
  JS_SetPropertyStr(ctx, env, "promise_batch_action_deploy_global_contract", JS_NewCFunction(ctx, near_promise_batch_action_deploy_global_contract, "promise_batch_action_deploy_global_contract", 2));
  JS_SetPropertyStr(ctx, env, "promise_batch_action_deploy_global_contract_by_account_id", JS_NewCFunction(ctx, near_promise_batch_action_deploy_global_contract_by_account_id, "promise_batch_action_deploy_global_contract_by_account_id", 2));
  JS_SetPropertyStr(ctx, env, "promise_batch_action_use_global_contract", JS_NewCFunction(ctx, near_promise_batch_action_use_global_contract, "promise_batch_action_use_global_contract", 2));
  JS_SetPropertyStr(ctx, env, "promise_batch_action_use_global_contract_by_account_id", JS_NewCFunction(ctx, near_promise_batch_action_use_global_contract_by_account_id, "promise_batch_action_use_global_contract_by_account_id", 2));
  JS_SetPropertyStr(ctx, env, "promise_yield_create", JS_NewCFunction(ctx, near_promise_yield_create, "promise_yield_create", 5));
  JS_SetPropertyStr(ctx, env, "promise_yield_resume", JS_NewCFunction(ctx, near_promise_yield_resume, "promise_yield_resume", 2));
  JS_SetPropertyStr(ctx, env, "ed25519_verify", JS_NewCFunction(ctx, near_ed25519_verify, "ed25519_verify", 3));
  JS_SetPropertyStr(ctx, env, "p256_verify", JS_NewCFunction(ctx, near_p256_verify, "p256_verify", 3));
}
