/**
 * The regions an account has enabled (those enabled by default and the opt-in ones it turned on), where its EKS
 * clusters can be: the organization audit's regions when the deployment names none.
 */
import { AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import { awsFailureText } from '../aws-failure.js';

/** The enabled regions, sorted; throws one line naming the call and the cause. */
export async function enabledRegions(account: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  try {
    const request = { RegionOptStatusContains: ['ENABLED' as const, 'ENABLED_BY_DEFAULT' as const] };
    for await (const page of paginateListRegions({ client: account }, request)) {
      for (const region of page.Regions ?? []) if (region.RegionName) regions.push(region.RegionName);
    }
  } catch (error) {
    throw new Error(`account:ListRegions failed: ${awsFailureText(error)}`);
  }
  return regions.sort();
}
