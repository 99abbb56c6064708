// A fork's provenance as the factory hands it to the fork's suite contracts (init `fork_of`): the parent community's
// counterpart contract (a registry imports its records from it, docs/fork.md), the parent's name and, once known, the
// block where the parent decided the fork. Data only.
export interface ForkOf {
  account_id: string;
  community: string;
  block_height?: string | null;
}

// Records a fork registry asks its parent for at a time (the parent's get_datasets / get_manifests / get_models page).
export const IMPORT_PAGE = 10;
