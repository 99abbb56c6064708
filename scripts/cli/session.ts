// What one command runs against, from its global options: the network (the local node is started on first use), the
// signer, the factory and the community's DAO. Built by the command layer (command.ts) for each command.
import type { Account } from "near-api-js";
import { resolveDao } from "./community.ts";
import type { Chain, NetworkId } from "./context.ts";
import { connect, LOCAL_ROOT, parseNetwork, readConfig, signer as signerOf } from "./context.ts";
import { CliError } from "./errors.ts";
import { startNode, validatorKeyFile } from "./localnode.ts";
import { setExplorerNetwork } from "./networks.ts";
import type { Progress } from "./output.ts";

export interface SessionOptions {
  network?: string;
  account?: string;
  factory?: string;
  community?: string;
}

export class Session {
  private chainCache: Chain | null = null;
  readonly network: NetworkId;

  constructor(
    readonly o: SessionOptions,
    private readonly out: Progress,
  ) {
    this.network = parseNetwork(o.network);
    setExplorerNetwork(this.network);
  }

  /** The connection; on local the node is started first when it is not running. */
  async chain(): Promise<Chain> {
    if (this.chainCache) return this.chainCache;
    if (this.network === "local") await startNode((m) => this.out.progress(m));
    this.chainCache = connect(this.network);
    return this.chainCache;
  }

  /** --account, or on local the node's root account. */
  signerId(): string {
    const id = this.o.account ?? (this.network === "local" ? LOCAL_ROOT : undefined);
    if (!id) throw new CliError("BAD_ARGS", `--account <id> is required on ${this.network}`);
    return id;
  }

  async signer(): Promise<Account> {
    return signerOf(await this.chain(), this.signerId(), this.network === "local" ? validatorKeyFile() : undefined);
  }

  /** --factory, else the one `factory deploy` recorded for this network, else on local commons.test.near. */
  factory(): string | null {
    return (
      this.o.factory ??
      readConfig().factories?.[this.network] ??
      (this.network === "local" ? `commons.${LOCAL_ROOT}` : null)
    );
  }

  requireFactory(): string {
    const f = this.factory();
    if (!f)
      throw new CliError("NO_FACTORY", `no factory known on ${this.network}: run factory deploy or pass --factory`);
    return f;
  }

  /** The DAO account of -c/--community. */
  async dao(): Promise<string> {
    return resolveDao(await this.chain(), this.factory(), this.o.community);
  }
}
