/**
 * The organization's accounts to audit: every ACTIVE account, or those under the configured organizational units
 * (sub-units included), read through every page of the Organizations API.
 */
import {
  OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
} from '@aws-sdk/client-organizations';
import { awsFailureText } from '../aws-failure.js';

/** An account of the organization. */
export interface OrgAccount {
  id: string;
  name: string;
}

/**
 * The ACTIVE accounts of the organization (suspended and closing ones have nothing to audit), sorted by id. With
 * `units`, only the accounts under them, however deep. A failure throws one line naming the call and the cause.
 */
export async function listActiveAccounts(organizations: OrganizationsClient, units: readonly string[]): Promise<OrgAccount[]> {
  const accounts: Account[] = [];
  try {
    if (units.length === 0) {
      for await (const page of paginateListAccounts({ client: organizations }, {})) accounts.push(...(page.Accounts ?? []));
    } else {
      for (const unit of units) accounts.push(...(await accountsUnder(organizations, unit)));
    }
  } catch (error) {
    throw new Error(`organizations:ListAccounts failed: ${awsFailureText(error)}`);
  }
  const active = new Map<string, OrgAccount>();
  for (const account of accounts) {
    if (account.Id && account.State === 'ACTIVE') active.set(account.Id, { id: account.Id, name: account.Name ?? account.Id });
  }
  return [...active.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function accountsUnder(organizations: OrganizationsClient, parent: string): Promise<Account[]> {
  const accounts: Account[] = [];
  for await (const page of paginateListAccountsForParent({ client: organizations }, { ParentId: parent })) {
    accounts.push(...(page.Accounts ?? []));
  }
  for await (const page of paginateListOrganizationalUnitsForParent({ client: organizations }, { ParentId: parent })) {
    for (const unit of page.OrganizationalUnits ?? []) if (unit.Id) accounts.push(...(await accountsUnder(organizations, unit.Id)));
  }
  return accounts;
}
