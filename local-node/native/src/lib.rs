//! nearcore's contract runtime (near-vm-runner 0.37.4 = nearcore 2.13, protocol 86, Wasmtime) as a Node native
//! module: the local node's one engine for contract calls (the chain layer is in ../src, the interface between the
//! two in ../src/vm/types.ts, the wrapper in ../src/vm/index.ts).
//!
//! - `runFunctionCall(code, codeHash, method, input, contextJson, storageGet)`: one call at protocol 86's config.
//!   `storageGet(key) => Buffer | undefined` reads the contract account's committed state synchronously from inside
//!   the wasm run (the Wasmtime runner stays on the calling thread); writes are buffered here and returned. The
//!   outcome is JSON: return data, logs, gas, nearcore's per-cost profile, state writes, new receipts, the error.
//!   Optional `trieRead(key)` / `trieWrite(key) => touched * 65536 + cached`: the chain's trie-node accounting for
//!   the block, as nearcore 2.13 counts it (see `JsExternal::lookup`); without them a fixed model.
//!   NEP-519 yields follow nearcore 2.13's RuntimeExt: the context names the account's pending yields (receipt or
//!   status in the chain's state) and yield ids; the outcome lists the call's PromiseYield receipts, PromiseResume
//!   receipts, yield status writes and yield id writes, which the chain applies.
//! - `runtimeConfigJson()`: nearcore's own runtime config for protocol 86 (the `runtime_config` of
//!   `EXPERIMENTAL_protocol_config`), from which the chain layer takes its fees and limits.
//! - `setCacheDir(dir)`: compiled contracts are cached on disk by nearcore's FilesystemContractRuntimeCache.
//!
//! Follows nearcore `runtime/runtime/src/function_call.rs` (context, prepare, run, gas distribution) and
//! `runtime/runtime/src/ext.rs` (the External of the runtime).

use napi::bindgen_prelude::*;
use napi_derive::napi;
use near_crypto::PublicKey;
use near_parameters::{RuntimeConfig, RuntimeConfigStore};
use near_primitives_core::hash::{CryptoHash, YieldId, hash};
use near_primitives_core::types::{AccountId, Balance, Gas, GasWeight, Nonce, NonceIndex};
use near_vm_runner::logic::errors::VMLogicError;
use near_vm_runner::logic::types::{
    ActionIndex, GlobalContractDeployMode, GlobalContractIdentifier, PromiseResult, ReceiptIndex,
};
use near_vm_runner::logic::{
    External, ProtocolVersion, ReturnData, StorageAccessTracker, VMContext, ValuePtr,
};
use near_vm_runner::{Contract, ContractCode, ContractRuntimeCache};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

const PROTOCOL: ProtocolVersion = 86;
type VmResult<T> = std::result::Result<T, VMLogicError>;

fn config() -> &'static Arc<RuntimeConfig> {
    static STORE: OnceLock<RuntimeConfigStore> = OnceLock::new();
    STORE.get_or_init(|| RuntimeConfigStore::new(None)).get_config(PROTOCOL)
}

static CACHE_DIR: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Names the folder of the compiled-code cache; call before the first contract call. Default:
/// `<temp dir>/ai-commons-vm-cache`. Several processes may share one folder (nearcore writes each entry to a
/// temporary file and renames it).
#[napi]
pub fn set_cache_dir(dir: String) {
    *CACHE_DIR.lock().unwrap() = Some(dir);
}

/// Compiled contracts: on disk (keyed by code hash, config and engine) and the last modules in memory.
fn cache() -> &'static dyn ContractRuntimeCache {
    static CACHE: OnceLock<near_vm_runner::FilesystemContractRuntimeCache> = OnceLock::new();
    CACHE.get_or_init(|| {
        let home = CACHE_DIR.lock().unwrap().clone().unwrap_or_else(|| {
            std::env::temp_dir().join("ai-commons-vm-cache").to_string_lossy().into_owned()
        });
        near_vm_runner::FilesystemContractRuntimeCache::with_memory_cache(
            std::path::Path::new(&home),
            None::<&str>,
            "contract.cache",
            16,
            None,
            1 << 30,
            near_vm_runner::noop_background_spawner(),
        )
        .expect("contract cache dir")
    })
}

/// nearcore's runtime config for protocol 86 as the JSON of `EXPERIMENTAL_protocol_config.runtime_config`.
#[napi]
pub fn runtime_config_json() -> String {
    let view = near_parameters::view::RuntimeConfigView::from(RuntimeConfig::clone(config()));
    serde_json::to_string(&view).unwrap()
}

#[napi]
pub fn protocol_version() -> u32 {
    PROTOCOL
}

// ---------------------------------------------------------------------------------------------
// Storage part of External: committed reads through a JS callback, writes buffered here.

struct Ptr(Vec<u8>);
impl ValuePtr for Ptr {
    fn len(&self) -> u32 {
        self.0.len() as u32
    }
    fn deref(&self, _: &mut dyn StorageAccessTracker) -> VmResult<Vec<u8>> {
        Ok(self.0.clone())
    }
}

/// A receipt created by the call, in the shape nearcore's ReceiptManager keeps it.
struct NewReceipt {
    receiver_id: AccountId,
    input_data_ids: Vec<CryptoHash>,
    receipt_indices: Vec<ReceiptIndex>,
    actions: Vec<Value>,
    /// (action index, weight) of function calls with a gas weight
    weights: Vec<(usize, u64)>,
    refund_to: Option<AccountId>,
    /// a PromiseYield receipt (promise_yield_create / _with_id): its one input is `input_data_ids[0]`
    is_yield: bool,
}

/// A PromiseResume receipt the call created by promise_yield_resume (nearcore ReceiptManager's
/// DataReceiptMetadata with is_promise_resume), to the current account.
struct ResumeData {
    data_id: CryptoHash,
    data: Vec<u8>,
}

type JsResult<T> = std::result::Result<T, String>;

/// What a storage host function does with a key: how nearcore 2.13 looks it up, and so what it counts in trie nodes.
#[derive(Clone, Copy, PartialEq)]
enum Access {
    /// storage_has_key: flat storage (protocol >= 61), no trie nodes
    Has,
    /// storage_read: flat storage, no trie nodes; the value's dereference goes through the chunk's accounting
    /// cache against a free counter (VMLogic derefs with FreeGasCounter), so a later write finds it cached
    Read,
    /// storage_write / storage_remove: looked up through the trie (KeyLookupMode::MemOrTrie), every node on the
    /// path and the evicted value counted
    Write,
}

/// The chain's trie-node accounting for the block (nearcore's per-chunk AccountingState), through JS callbacks.
struct Trie<'a> {
    /// storage_read found the key in committed state: its value enters the block's accounting cache (free)
    read: &'a dyn Fn(&[u8]) -> JsResult<()>,
    /// storage_write / storage_remove of a key not in the call's own writes: (touched, cached) trie nodes
    write: &'a dyn Fn(&[u8]) -> JsResult<(u64, u64)>,
}

struct JsExternal<'a> {
    get: &'a dyn Fn(&[u8]) -> JsResult<Option<Vec<u8>>>,
    /// nearcore's trie-node counts from the chain; None: the fixed model below (ttn_present / ttn_missing)
    trie: Option<Trie<'a>>,
    /// key -> Some(value) | None (removed): the call's own writes (nearcore's TrieUpdate prospective)
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    /// keys read from committed state in this call (TTN model: first access db, later cached)
    touched: RefCell<HashMap<Vec<u8>, u64>>,
    ttn_present: u64,
    ttn_missing: u64,
    receipts: Vec<NewReceipt>,
    action_hash: CryptoHash,
    block_height: u64,
    data_count: u64,
    chain_id: String,
    /// the epoch's validators and their stakes (validator_stake / validator_total_stake)
    validators: BTreeMap<String, Balance>,
    /// calls into JS, for the report
    js_calls: RefCell<u64>,
    /// data ids of this account with a PromiseYieldReceipt or a PromiseYieldStatus in the chain's state, and those
    /// this call created (nearcore 2.13 writes the status during the call, so later host calls see it)
    pending_yields: std::collections::HashSet<CryptoHash>,
    /// this account's YieldIdToDataId mappings in the state, and those this call created
    yield_ids: HashMap<YieldId, CryptoHash>,
    /// PromiseYieldStatus writes of the call, in order: (data id, "Yielded" | "ResumeInitiated")
    status_writes: Vec<(CryptoHash, &'static str)>,
    /// YieldIdToDataId / DataIdToYieldId writes of the call
    yield_id_writes: Vec<(YieldId, CryptoHash)>,
    resumes: Vec<ResumeData>,
}

impl JsExternal<'_> {
    /// Looks the key up: the call's own writes first (nearcore's TrieUpdate prospective: no trie access), else
    /// committed state. Returns the value and the (touched, cached) trie nodes the access counts, which the caller
    /// charges where nearcore does.
    ///
    /// With the chain's accounting (`trie`), as nearcore 2.13 counts: `Has` and `Read` count nothing (a read leaves
    /// the value cached), `Write` counts what the chain says: the key's path in the trie at the start of the block
    /// plus the evicted value, none for a key written earlier in the block, each node already accounted in the block
    /// as cached. Without it (in-process callers with no trie), the fixed model: the first access of a committed key
    /// in the call counts `ttn_present` touching_trie_node if it exists and `ttn_missing` if not, a repeat the same
    /// count as read_cached_trie_node.
    fn lookup(&self, key: &[u8], access: Access) -> VmResult<(Option<Vec<u8>>, u64, u64)> {
        if let Some(v) = self.writes.get(key) {
            return Ok((v.clone(), 0, 0));
        }
        *self.js_calls.borrow_mut() += 1;
        // a JS exception becomes VMLogicError::ExternalError -> VMRunnerError::ExternalError (the call
        // fails as an internal error, the process keeps running)
        let external = |e: String| VMLogicError::ExternalError(near_vm_runner::logic::errors::AnyError::new(e));
        let value = (self.get)(key).map_err(external)?;
        if let Some(trie) = &self.trie {
            return Ok(match access {
                Access::Has => (value, 0, 0),
                Access::Read => {
                    if value.is_some() {
                        (trie.read)(key).map_err(external)?;
                    }
                    (value, 0, 0)
                }
                Access::Write => {
                    let (touched, cached) = (trie.write)(key).map_err(external)?;
                    (value, touched, cached)
                }
            });
        }
        let nodes = if value.is_some() { self.ttn_present } else { self.ttn_missing };
        let first = self.touched.borrow_mut().insert(key.to_vec(), nodes).is_none();
        Ok(if first { (value, nodes, 0) } else { (value, 0, nodes) })
    }

    fn generate_data_id(&mut self) -> CryptoHash {
        // nearcore: create_receipt_id_from_action_hash(action_hash, block_height, data_count); simplified here. The
        // chain ignores the data ids of promise_then / promise_and (it makes its own) but hands promise_yield_create's
        // to the contract, so it passes an action hash unique per receipt, block and action.
        let mut bytes = self.action_hash.as_ref().to_vec();
        bytes.extend_from_slice(&self.block_height.to_le_bytes());
        bytes.extend_from_slice(&self.data_count.to_le_bytes());
        self.data_count += 1;
        hash(&bytes)
    }

    /// create_promise_yield_receipt with a data id already generated (promise_yield_create_with_id)
    fn generate_yield_receipt_with(
        &mut self,
        receiver_id: AccountId,
        data_id: CryptoHash,
    ) -> VmResult<(ReceiptIndex, CryptoHash)> {
        self.receipts.push(NewReceipt {
            receiver_id,
            input_data_ids: vec![data_id],
            receipt_indices: vec![],
            actions: vec![],
            weights: vec![],
            refund_to: None,
            is_yield: true,
        });
        self.pending_yields.insert(data_id);
        self.status_writes.push((data_id, "Yielded"));
        Ok((self.receipts.len() as u64 - 1, data_id))
    }

    fn push(&mut self, idx: ReceiptIndex, action: Value) {
        self.receipts[idx as usize].actions.push(action);
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
fn yocto(b: Balance) -> String {
    b.as_yoctonear().to_string()
}
/// borsh of a PublicKey (key type byte, then the key), in hex: the chain layer's PublicKeyBytes
fn pk(k: &PublicKey) -> String {
    let mut bytes = vec![k.key_type() as u8];
    bytes.extend_from_slice(k.key_data());
    hex(&bytes)
}

/// Charges trie nodes as nearcore's AccountingState::commit_counts_since does: touched, then cached.
fn charge_nodes(tracker: &mut dyn StorageAccessTracker, touched: u64, cached: u64) -> VmResult<()> {
    tracker.trie_node_touched(touched)?;
    tracker.cached_trie_node_access(cached)
}

impl External for JsExternal<'_> {
    fn storage_set<'a>(
        &'a mut self,
        tracker: &mut dyn StorageAccessTracker,
        key: &[u8],
        value: &[u8],
    ) -> VmResult<Option<Vec<u8>>> {
        let (evicted, touched, cached) = self.lookup(key, Access::Write)?;
        if self.trie.is_none() {
            charge_nodes(tracker, touched, cached)?;
        }
        // nearcore RuntimeExt::storage_set: the evicted bytes, then the nodes of the lookup and the value
        if let Some(e) = &evicted {
            tracker.deref_write_evicted_value_bytes(e.len() as u64)?;
        }
        if self.trie.is_some() {
            charge_nodes(tracker, touched, cached)?;
        }
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
        Ok(evicted)
    }

    fn storage_get<'a>(
        &'a self,
        tracker: &mut dyn StorageAccessTracker,
        key: &[u8],
    ) -> VmResult<Option<Box<dyn ValuePtr + 'a>>> {
        let (value, touched, cached) = self.lookup(key, Access::Read)?;
        charge_nodes(tracker, touched, cached)?;
        Ok(value.map(|v| Box::new(Ptr(v)) as Box<dyn ValuePtr>))
    }

    fn storage_remove(
        &mut self,
        tracker: &mut dyn StorageAccessTracker,
        key: &[u8],
    ) -> VmResult<Option<Vec<u8>>> {
        let (removed, touched, cached) = self.lookup(key, Access::Write)?;
        if self.trie.is_none() {
            charge_nodes(tracker, touched, cached)?;
        }
        // nearcore RuntimeExt::storage_remove: the removed bytes, then the nodes of the lookup and the value
        if let Some(e) = &removed {
            tracker.deref_removed_value_bytes(e.len() as u64)?;
        }
        if self.trie.is_some() {
            charge_nodes(tracker, touched, cached)?;
        }
        self.writes.insert(key.to_vec(), None);
        Ok(removed)
    }

    fn storage_has_key(
        &mut self,
        tracker: &mut dyn StorageAccessTracker,
        key: &[u8],
    ) -> VmResult<bool> {
        let (value, touched, cached) = self.lookup(key, Access::Has)?;
        charge_nodes(tracker, touched, cached)?;
        Ok(value.is_some())
    }

    fn generate_data_id(&mut self) -> CryptoHash {
        JsExternal::generate_data_id(self)
    }
    fn get_recorded_storage_size(&self) -> usize {
        0
    }
    fn storage_proof_size_before_receipt(&self) -> usize {
        0
    }
    fn validator_stake(&self, account_id: &AccountId) -> VmResult<Option<Balance>> {
        Ok(self.validators.get(account_id.as_str()).copied())
    }
    fn validator_total_stake(&self) -> VmResult<Balance> {
        let total: u128 = self.validators.values().map(|b| b.as_yoctonear()).sum();
        Ok(Balance::from_yoctonear(total))
    }
    fn chain_id(&self) -> String {
        self.chain_id.clone()
    }

    fn create_action_receipt(
        &mut self,
        receipt_indices: Vec<ReceiptIndex>,
        receiver_id: AccountId,
    ) -> VmResult<ReceiptIndex> {
        let input_data_ids = receipt_indices.iter().map(|_| self.generate_data_id()).collect();
        self.receipts.push(NewReceipt {
            receiver_id,
            input_data_ids,
            receipt_indices,
            actions: vec![],
            weights: vec![],
            refund_to: None,
            is_yield: false,
        });
        Ok(self.receipts.len() as u64 - 1)
    }

    fn create_promise_yield_receipt(
        &mut self,
        receiver_id: AccountId,
    ) -> VmResult<(ReceiptIndex, CryptoHash)> {
        // nearcore 2.13 RuntimeExt::create_promise_yield_receipt: a PromiseYield receipt with one input data id, and
        // PromiseYieldStatus::Yielded for it in the state
        let data_id = self.generate_data_id();
        self.generate_yield_receipt_with(receiver_id, data_id)
    }

    fn create_promise_yield_receipt_with_id(
        &mut self,
        receiver_id: AccountId,
        user_yield_id: YieldId,
    ) -> VmResult<Option<(ReceiptIndex, CryptoHash)>> {
        // nearcore 2.13 (YieldWithId, protocol 85): a yield id still mapped for this account (its yield not yet run,
        // including one created earlier in this call) is refused; else the mapping both ways, then as above
        if self.yield_ids.contains_key(&user_yield_id) {
            return Ok(None);
        }
        let data_id = self.generate_data_id();
        self.yield_ids.insert(user_yield_id, data_id);
        self.yield_id_writes.push((user_yield_id, data_id));
        self.generate_yield_receipt_with(receiver_id, data_id).map(Some)
    }

    fn submit_promise_resume_data(&mut self, data_id: CryptoHash, data: Vec<u8>) -> VmResult<bool> {
        // nearcore 2.13 RuntimeExt::submit_promise_resume_data: the yield receipt or its status is in the state (the
        // status also for a yield of this very call): a PromiseResume receipt and ResumeInitiated. Both stay until the
        // first PromiseResume arrives, so a second resume before that also answers true (its receipt is ignored).
        if self.pending_yields.contains(&data_id) {
            self.resumes.push(ResumeData { data_id, data });
            self.status_writes.push((data_id, "ResumeInitiated"));
            return Ok(true);
        }
        Ok(false)
    }

    fn submit_promise_resume_data_with_yield_id(&mut self, yield_id: YieldId, data: Vec<u8>) -> VmResult<bool> {
        // the data id the yield id maps to (YieldIdToDataId), then as above
        match self.yield_ids.get(&yield_id).copied() {
            Some(data_id) => self.submit_promise_resume_data(data_id, data),
            None => Ok(false),
        }
    }

    fn append_action_create_account(&mut self, i: ReceiptIndex) {
        self.push(i, json!({"CreateAccount": {}}));
    }
    fn append_action_deploy_contract(&mut self, i: ReceiptIndex, code: Vec<u8>) {
        self.push(i, json!({"DeployContract": {"code_hex": hex(&code)}}));
    }
    fn append_action_deploy_global_contract(
        &mut self,
        i: ReceiptIndex,
        code: Vec<u8>,
        mode: GlobalContractDeployMode,
    ) {
        self.push(i, json!({"DeployGlobalContract": {"code_hex": hex(&code), "mode": mode}}));
    }
    fn append_action_use_global_contract(&mut self, i: ReceiptIndex, id: GlobalContractIdentifier) {
        self.push(i, json!({"UseGlobalContract": id}));
    }
    fn append_action_deterministic_state_init(
        &mut self,
        i: ReceiptIndex,
        id: GlobalContractIdentifier,
        amount: Balance,
    ) -> ActionIndex {
        self.push(i, json!({"DeterministicStateInit": {"code": id, "amount": yocto(amount), "data": {}}}));
        self.receipts[i as usize].actions.len() as u64 - 1
    }
    fn set_deterministic_state_init_data_entry(
        &mut self,
        i: ReceiptIndex,
        a: ActionIndex,
        key: Vec<u8>,
        value: Vec<u8>,
    ) -> VmResult<()> {
        self.receipts[i as usize].actions[a as usize]["DeterministicStateInit"]["data"][hex(&key)] =
            json!(hex(&value));
        Ok(())
    }
    fn append_action_function_call_weight(
        &mut self,
        i: ReceiptIndex,
        method_name: Vec<u8>,
        args: Vec<u8>,
        attached_deposit: Balance,
        prepaid_gas: Gas,
        gas_weight: GasWeight,
    ) -> VmResult<()> {
        let r = &mut self.receipts[i as usize];
        if gas_weight.0 > 0 {
            r.weights.push((r.actions.len(), gas_weight.0));
        }
        r.actions.push(json!({"FunctionCall": {
            "method_name": String::from_utf8_lossy(&method_name),
            "args_hex": hex(&args),
            "deposit": yocto(attached_deposit),
            "gas": prepaid_gas.as_gas().to_string(),
            "gas_weight": gas_weight.0,
        }}));
        Ok(())
    }
    fn append_action_transfer(&mut self, i: ReceiptIndex, deposit: Balance) {
        self.push(i, json!({"Transfer": {"deposit": yocto(deposit)}}));
    }
    fn append_action_transfer_to_gas_key(&mut self, i: ReceiptIndex, public_key: PublicKey, deposit: Balance) {
        self.push(i, json!({"TransferToGasKey": {"public_key": pk(&public_key), "deposit": yocto(deposit)}}));
    }
    fn append_action_add_gas_key_with_full_access(&mut self, i: ReceiptIndex, public_key: PublicKey, n: NonceIndex) {
        self.push(i, json!({"AddGasKey": {"public_key": pk(&public_key), "num_nonces": n, "permission": "FullAccess"}}));
    }
    fn append_action_add_gas_key_with_function_call(
        &mut self,
        i: ReceiptIndex,
        public_key: PublicKey,
        n: NonceIndex,
        allowance: Option<Balance>,
        receiver_id: AccountId,
        method_names: Vec<Vec<u8>>,
    ) -> VmResult<()> {
        let names: Vec<String> = method_names.iter().map(|m| String::from_utf8_lossy(m).into()).collect();
        self.push(i, json!({"AddGasKey": {"public_key": pk(&public_key), "num_nonces": n, "permission": {"FunctionCall": {
            "allowance": allowance.map(yocto), "receiver_id": receiver_id, "method_names": names}}}}));
        Ok(())
    }
    fn append_action_stake(&mut self, i: ReceiptIndex, stake: Balance, public_key: PublicKey) {
        self.push(i, json!({"Stake": {"stake": yocto(stake), "public_key": pk(&public_key)}}));
    }
    fn append_action_add_key_with_full_access(&mut self, i: ReceiptIndex, public_key: PublicKey, nonce: Nonce) {
        self.push(i, json!({"AddKey": {"public_key": pk(&public_key), "access_key": {"nonce": nonce, "permission": "FullAccess"}}}));
    }
    fn append_action_add_key_with_function_call(
        &mut self,
        i: ReceiptIndex,
        public_key: PublicKey,
        nonce: Nonce,
        allowance: Option<Balance>,
        receiver_id: AccountId,
        method_names: Vec<Vec<u8>>,
    ) -> VmResult<()> {
        let names: Vec<String> = method_names.iter().map(|m| String::from_utf8_lossy(m).into()).collect();
        self.push(i, json!({"AddKey": {"public_key": pk(&public_key), "access_key": {"nonce": nonce, "permission": {"FunctionCall": {
            "allowance": allowance.map(yocto), "receiver_id": receiver_id, "method_names": names}}}}}));
        Ok(())
    }
    fn append_action_delete_key(&mut self, i: ReceiptIndex, public_key: PublicKey) {
        self.push(i, json!({"DeleteKey": {"public_key": pk(&public_key)}}));
    }
    fn append_action_delete_account(&mut self, i: ReceiptIndex, beneficiary_id: AccountId) {
        self.push(i, json!({"DeleteAccount": {"beneficiary_id": beneficiary_id}}));
    }
    fn get_receipt_receiver(&self, i: ReceiptIndex) -> &AccountId {
        &self.receipts[i as usize].receiver_id
    }
    fn set_refund_to(&mut self, i: ReceiptIndex, refund_to: AccountId) {
        self.receipts[i as usize].refund_to = Some(refund_to);
    }
    fn post_quantum_keys_enabled(&self) -> bool {
        false
    }
}

// ---------------------------------------------------------------------------------------------

struct Code(Arc<ContractCode>);
impl Contract for Code {
    fn hash(&self) -> CryptoHash {
        *self.0.hash()
    }
    fn get_code(&self) -> Option<Arc<ContractCode>> {
        Some(Arc::clone(&self.0))
    }
}

#[derive(serde::Deserialize)]
struct Ctx {
    current_account_id: String,
    signer_account_id: String,
    /// hex of borsh PublicKey (1 + 32 bytes)
    signer_account_pk: String,
    predecessor_account_id: String,
    block_height: String,
    block_timestamp: String,
    epoch_height: String,
    account_balance: String,
    account_locked_balance: String,
    storage_usage: String,
    attached_deposit: String,
    prepaid_gas: String,
    /// hex, 32 bytes
    random_seed: String,
    is_view: bool,
    /// hex of each successful result, or null for Failed
    #[serde(default)]
    promise_results: Vec<Option<String>>,
    #[serde(default)]
    output_data_receivers: Vec<String>,
    #[serde(default = "default_chain")]
    chain_id: String,
    /// account id -> stake (yocto, decimal string) of the epoch's validators
    #[serde(default)]
    validators: BTreeMap<String, String>,
    /// promise_set_refund_to of the receipt; default the predecessor
    #[serde(default)]
    refund_to_account_id: Option<String>,
    /// {"Local": hash} | {"Global": hash} | {"GlobalByAccount": account id}; default Local(code hash)
    #[serde(default)]
    contract: Option<Value>,
    /// hex, 32 bytes: the hash the chain derives data ids from
    #[serde(default)]
    action_hash: Option<String>,
    /// hex data ids of the current account with a yield receipt or a yield status in the chain's state
    #[serde(default)]
    pending_yields: Vec<String>,
    /// hex yield id -> hex data id: the current account's YieldIdToDataId mappings
    #[serde(default)]
    yield_ids: BTreeMap<String, String>,
    #[serde(default = "three")]
    ttn_present: u64,
    #[serde(default = "two")]
    ttn_missing: u64,
}
fn default_chain() -> String {
    "localnet".into()
}
fn three() -> u64 {
    3
}
fn two() -> u64 {
    2
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}
fn num<T: std::str::FromStr>(s: &str, what: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    s.parse().map_err(|e| Error::from_reason(format!("{what}: {e}")))
}
fn acc(s: &str) -> Result<AccountId> {
    s.parse().map_err(|e| Error::from_reason(format!("account id {s}: {e}")))
}

thread_local! {
    /// code by hash, for compiling on a cache miss (near-vm-runner asks for the code only then)
    static CODES: RefCell<HashMap<CryptoHash, Arc<ContractCode>>> = RefCell::new(HashMap::new());
}

/// Forgets the codes kept for compiling (the compiled modules stay in nearcore's cache).
#[napi]
pub fn clear_code_memory() {
    CODES.with(|m| m.borrow_mut().clear());
}

/// Runs one function call. `code_hash` is the base58 sha256 of `code` the chain keeps for the account.
#[napi(catch_unwind)]
pub fn run_function_call(
    code: Buffer,
    code_hash: String,
    method: String,
    input: Buffer,
    context_json: String,
    storage_get: Function<Buffer, Option<Buffer>>,
    trie_read: Option<Function<Buffer, ()>>,
    trie_write: Option<Function<Buffer, u32>>,
) -> Result<String> {
    let t0 = std::time::Instant::now();
    let c: Ctx = serde_json::from_str(&context_json).map_err(|e| Error::from_reason(e.to_string()))?;
    let cfg = config();
    let code_hash: CryptoHash =
        code_hash.parse().map_err(|e| Error::from_reason(format!("code hash {code_hash}: {e}")))?;
    let contract = CODES.with(|m| {
        let mut m = m.borrow_mut();
        if !m.contains_key(&code_hash) && m.len() >= 64 {
            m.clear();
        }
        Arc::clone(
            m.entry(code_hash).or_insert_with(|| Arc::new(ContractCode::new(code.to_vec(), Some(code_hash)))),
        )
    });
    let prepaid_gas = Gas::from_gas(num(&c.prepaid_gas, "prepaid_gas")?);
    let context = VMContext {
        current_account_id: acc(&c.current_account_id)?,
        signer_account_id: acc(if c.is_view { &c.current_account_id } else { &c.signer_account_id })?,
        signer_account_pk: unhex(&c.signer_account_pk),
        predecessor_account_id: acc(if c.is_view { &c.current_account_id } else { &c.predecessor_account_id })?,
        refund_to_account_id: acc(if c.is_view {
            &c.current_account_id
        } else {
            c.refund_to_account_id.as_deref().unwrap_or(&c.predecessor_account_id)
        })?,
        input: input.to_vec().into(),
        promise_results: c
            .promise_results
            .iter()
            .map(|r| match r {
                Some(h) => PromiseResult::Successful(unhex(h).into()),
                None => PromiseResult::Failed,
            })
            .collect::<Vec<_>>()
            .into(),
        block_height: num(&c.block_height, "block_height")?,
        block_timestamp: num(&c.block_timestamp, "block_timestamp")?,
        epoch_height: num(&c.epoch_height, "epoch_height")?,
        account_balance: Balance::from_yoctonear(num(&c.account_balance, "account_balance")?),
        account_locked_balance: Balance::from_yoctonear(num(&c.account_locked_balance, "locked")?),
        storage_usage: num(&c.storage_usage, "storage_usage")?,
        account_contract: account_contract(c.contract.as_ref(), code_hash)?,
        attached_deposit: Balance::from_yoctonear(num(&c.attached_deposit, "attached_deposit")?),
        prepaid_gas,
        random_seed: unhex(&c.random_seed),
        view_config: c.is_view.then(|| near_primitives_core::config::ViewConfig {
            max_gas_burnt: cfg.wasm_config.limit_config.max_gas_burnt,
        }),
        output_data_receivers: c.output_data_receivers.iter().map(|a| acc(a)).collect::<Result<_>>()?,
    };

    let get = |key: &[u8]| -> std::result::Result<Option<Vec<u8>>, String> {
        storage_get.call(Buffer::from(key)).map(|v| v.map(|b| b.to_vec())).map_err(|e| e.to_string())
    };
    let read = |key: &[u8]| -> JsResult<()> {
        match &trie_read {
            Some(f) => f.call(Buffer::from(key)).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    };
    // the chain answers touched * 65536 + cached
    let write = |key: &[u8]| -> JsResult<(u64, u64)> {
        match &trie_write {
            Some(f) => f.call(Buffer::from(key)).map(|n| ((n >> 16) as u64, (n & 0xffff) as u64)).map_err(|e| e.to_string()),
            None => Ok((0, 0)),
        }
    };
    let mut ext = JsExternal {
        get: &get,
        trie: (trie_read.is_some() && trie_write.is_some()).then(|| Trie { read: &read, write: &write }),
        writes: BTreeMap::new(),
        touched: RefCell::new(HashMap::new()),
        ttn_present: c.ttn_present,
        ttn_missing: c.ttn_missing,
        receipts: vec![],
        action_hash: c
            .action_hash
            .as_deref()
            .map(|h| CryptoHash::try_from(unhex(h).as_slice()).unwrap())
            .unwrap_or_default(),
        block_height: context.block_height,
        data_count: 0,
        chain_id: c.chain_id.clone(),
        validators: c
            .validators
            .iter()
            .map(|(k, v)| Ok((k.clone(), Balance::from_yoctonear(num(v, "validator stake")?))))
            .collect::<Result<_>>()?,
        js_calls: RefCell::new(0),
        pending_yields: c
            .pending_yields
            .iter()
            .map(|h| CryptoHash::try_from(unhex(h).as_slice()).map_err(|e| Error::from_reason(format!("yield: {e}"))))
            .collect::<Result<_>>()?,
        yield_ids: c
            .yield_ids
            .iter()
            .map(|(y, d)| {
                let y: [u8; 32] =
                    unhex(y).try_into().map_err(|_| Error::from_reason(format!("yield id {y}: not 32 bytes")))?;
                let d = CryptoHash::try_from(unhex(d).as_slice())
                    .map_err(|e| Error::from_reason(format!("yield data id: {e}")))?;
                Ok((YieldId::from_bytes(y), d))
            })
            .collect::<Result<_>>()?,
        status_writes: vec![],
        yield_id_writes: vec![],
        resumes: vec![],
    };

    let t_prep = std::time::Instant::now();
    let gas_counter = context.make_gas_counter(&cfg.wasm_config);
    let prepared = near_vm_runner::prepare(
        &Code(contract),
        Arc::clone(&cfg.wasm_config),
        Some(cache()),
        gas_counter,
        &method,
    );
    let prepare_ms = t_prep.elapsed().as_secs_f64() * 1e3;
    let t_run = std::time::Instant::now();
    // PreparedContract::run takes `&mut dyn External` (no Send bound, unlike near_vm_runner::run)
    let mut outcome = prepared
        .run(&mut ext, &context, Arc::clone(&cfg.fees))
        .map_err(|e| Error::from_reason(format!("VMRunnerError: {e:?}")))?;
    let run_ms = t_run.elapsed().as_secs_f64() * 1e3;

    // nearcore's runtime (function_call.rs): on success, distribute unused gas to weighted function calls.
    if outcome.aborted.is_none() && !c.is_view {
        let unused = prepaid_gas.as_gas().saturating_sub(outcome.used_gas.as_gas());
        let total: u128 = ext.receipts.iter().flat_map(|r| r.weights.iter()).map(|w| w.1 as u128).sum();
        if unused > 0 && total > 0 {
            let mut distributed = 0u64;
            let slots: Vec<(usize, usize, u64)> = ext
                .receipts
                .iter()
                .enumerate()
                .flat_map(|(ri, r)| r.weights.iter().map(move |&(ai, w)| (ri, ai, w)))
                .collect();
            let n = slots.len();
            for (k, (ri, ai, w)) in slots.into_iter().enumerate() {
                let share = if k + 1 == n { unused - distributed } else { (unused as u128 * w as u128 / total) as u64 };
                distributed += share;
                let fc = &mut ext.receipts[ri].actions[ai]["FunctionCall"];
                let g: u64 = fc["gas"].as_str().unwrap().parse().unwrap();
                fc["gas"] = json!((g + share).to_string());
            }
            outcome.used_gas = Gas::from_gas(outcome.used_gas.as_gas() + distributed);
        }
    }

    // nearcore's profile v3 as the RPC shows it (core/primitives/src/views.rs, CostGasUsed): one entry per cost
    // with gas, names upper-cased, ACTION_COST for the send fees of receipts the call created, WASM_HOST_COST for
    // host functions and WASM_INSTRUCTION
    let profile = &outcome.profile;
    let mut costs: Vec<(String, String, u64)> = vec![];
    for (k, v) in profile.actions_profile.iter() {
        if v.as_gas() > 0 {
            costs.push(("ACTION_COST".into(), format!("{k:?}").to_ascii_uppercase(), v.as_gas()));
        }
    }
    for (k, v) in profile.wasm_ext_profile.iter() {
        if v.as_gas() > 0 {
            costs.push(("WASM_HOST_COST".into(), format!("{k:?}").to_ascii_uppercase(), v.as_gas()));
        }
    }
    let wasm = profile.get_wasm_cost().as_gas();
    if wasm > 0 {
        costs.push(("WASM_HOST_COST".into(), "WASM_INSTRUCTION".into(), wasm));
    }
    let prof: Vec<Value> = costs
        .iter()
        .map(|(cat, cost, gas)| json!({"cost_category": cat, "cost": cost, "gas_used": gas.to_string()}))
        .collect();

    let failed = outcome.aborted.is_some();
    let out = json!({
        "return_data": match &outcome.return_data {
            ReturnData::Value(v) => json!({"Value": hex(v)}),
            ReturnData::ReceiptIndex(i) => json!({"ReceiptIndex": i}),
            ReturnData::None => json!("None"),
        },
        "logs": outcome.logs,
        "burnt_gas": outcome.burnt_gas.as_gas().to_string(),
        "used_gas": outcome.used_gas.as_gas().to_string(),
        "compute_usage": outcome.compute_usage.to_string(),
        "balance": yocto(outcome.balance),
        "storage_usage": outcome.storage_usage.to_string(),
        "error": outcome.aborted.as_ref().map(error_json),
        "profile": prof,
        "state_changes": if failed { json!({}) } else {
            Value::Object(ext.writes.iter().map(|(k, v)| (hex(k), v.as_ref().map(|v| json!(hex(v))).unwrap_or(Value::Null))).collect())
        },
        "receipts": if failed { json!([]) } else { Value::Array(ext.receipts.iter().map(|r| json!({
            "receiver_id": r.receiver_id,
            "input_data_ids": r.input_data_ids.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            "receipt_indices": r.receipt_indices,
            "actions": r.actions,
            "refund_to": r.refund_to,
            "is_yield": r.is_yield,
            "yield_data_id": if r.is_yield { json!(hex(r.input_data_ids[0].as_ref())) } else { Value::Null },
        })).collect()) },
        "resumes": if failed { json!([]) } else { Value::Array(ext.resumes.iter().map(|d| json!({
            "data_id": hex(d.data_id.as_ref()),
            "data": hex(&d.data),
        })).collect()) },
        "yield_status": if failed { json!([]) } else { Value::Array(ext.status_writes.iter().map(|(d, s)| json!([hex(d.as_ref()), s])).collect()) },
        "yield_ids": if failed { json!([]) } else { Value::Array(ext.yield_id_writes.iter().map(|(y, d)| json!([hex(y.0.as_ref()), hex(d.as_ref())])).collect()) },
        "stats": {
            "prepare_ms": prepare_ms, "run_ms": run_ms, "total_ms": t0.elapsed().as_secs_f64() * 1e3,
            "js_storage_calls": *ext.js_calls.borrow(),
        }
    });
    Ok(out.to_string())
}

/// The error in the chain layer's VmError shape (../src/vm/types.ts), as nearcore's runtime turns the VM's
/// FunctionCallError into the ActionError it reports: host errors and traps become ExecutionError(display).
fn error_json(e: &near_vm_runner::logic::errors::FunctionCallError) -> Value {
    use near_vm_runner::logic::errors::{CompilationError, FunctionCallError as F, HostError, MethodResolveError as M};
    let debug = format!("{e:?}");
    let kind = match e {
        F::CompilationError(CompilationError::PrepareError(p)) => {
            json!({"kind": "CompilationError", "message": e.to_string(), "prepareError": format!("{p:?}")})
        }
        F::CompilationError(_) => json!({"kind": "CompilationError", "message": e.to_string()}),
        F::MethodResolveError(M::MethodNotFound) => json!({"kind": "MethodNotFound"}),
        F::MethodResolveError(M::MethodEmptyName) => json!({"kind": "MethodEmptyName"}),
        F::HostError(HostError::ProhibitedInView { method_name }) => {
            json!({"kind": "ProhibitedInView", "methodName": method_name})
        }
        F::HostError(_) | F::WasmTrap(_) => json!({"kind": "ExecutionError", "message": e.to_string()}),
        // LinkError, MethodInvalidSignature, loading and unknown errors: told apart by the debug form
        _ => json!({"kind": "Other", "message": e.to_string()}),
    };
    json!({"error": kind, "debug": debug})
}

/// Every action fee of protocol 86 by nearcore's ActionCosts name (`{"create_account": {"send_sir", "send_not_sir",
/// "execution"}, ...}`, gas), plus what RuntimeConfigView leaves out: the global-contract storage burn per byte and
/// the NEP-536 refund penalty. The chain layer takes its fees from here and from `runtimeConfigJson`.
#[napi]
pub fn action_fees_json() -> String {
    use near_parameters::ActionCosts;
    let fees = &config().fees;
    let mut out = serde_json::Map::new();
    for (cost, fee) in fees.action_fees.iter() {
        let name = format!("{cost:?}");
        let _: ActionCosts = cost;
        out.insert(
            name,
            json!({
                "send_sir": fee.send_fee(true).gas.as_gas().to_string(),
                "send_not_sir": fee.send_fee(false).gas.as_gas().to_string(),
                "execution": fee.exec_fee().gas.as_gas().to_string(),
            }),
        );
    }
    json!({
        "action_fees": out,
        "global_contract_storage_amount_per_byte":
            yocto(fees.storage_usage_config.global_contract_storage_amount_per_byte),
        "gas_refund_penalty": [*fees.gas_refund_penalty.numer(), *fees.gas_refund_penalty.denom()],
        "min_gas_refund_penalty": fees.min_gas_refund_penalty.as_gas().to_string(),
    })
    .to_string()
}

/// The AccountContract the chain reports for the account (current_contract_code answers from it).
fn account_contract(v: Option<&Value>, code_hash: CryptoHash) -> Result<near_primitives_core::account::AccountContract> {
    use near_primitives_core::account::AccountContract as C;
    let parse_hash = |h: &Value| -> Result<CryptoHash> {
        h.as_str().unwrap_or_default().parse().map_err(|e| Error::from_reason(format!("contract hash: {e}")))
    };
    Ok(match v {
        Some(Value::Object(m)) if m.contains_key("Global") => C::Global(parse_hash(&m["Global"])?),
        Some(Value::Object(m)) if m.contains_key("GlobalByAccount") => {
            C::GlobalByAccount(acc(m["GlobalByAccount"].as_str().unwrap_or_default())?)
        }
        _ => C::Local(code_hash),
    })
}
