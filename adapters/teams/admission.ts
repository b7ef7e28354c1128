import { isNonEmptyString, isRecord } from './activity-shape';

/**
 * Which authenticated activities may start a turn. One Azure Bot registration also serves Web
 * Chat, Direct Line and other channels, whose users pick their own `from.id`; the person's
 * pseudonymous id is derived from channel `teams` and that id, so an activity from another channel
 * could speak as a Teams user. Only Teams itself is accepted (and the Bot Framework Emulator in
 * development, where nothing is real).
 */
export interface AdmissionPolicy {
  readonly allowEmulator: boolean;
  /** Entra tenant ids (lower case) allowed to use the bot; undefined allows every tenant. */
  readonly allowedTenants?: ReadonlySet<string> | undefined;
}

export type Refusal = 'TEAMS_CHANNEL_REFUSED' | 'TEAMS_TENANT_REFUSED';

export function refusalFor(
  activity: { readonly channelId?: unknown; readonly channelData?: unknown; readonly conversation?: unknown },
  policy: AdmissionPolicy,
): Refusal | undefined {
  const channel = activity.channelId;
  if (channel !== 'msteams' && !(channel === 'emulator' && policy.allowEmulator)) {
    return 'TEAMS_CHANNEL_REFUSED';
  }
  const allowed = policy.allowedTenants;
  if (allowed) {
    const tenants = tenantIdsOf(activity);
    if (tenants.length === 0 || !tenants.every((tenant) => allowed.has(tenant.toLowerCase())))
      return 'TEAMS_TENANT_REFUSED';
  }
  return undefined;
}

/**
 * Teams names the tenant in channelData.tenant.id and in conversation.tenantId. Both are checked
 * when both are present, so an activity cannot pass on one while claiming another.
 */
export function tenantIdsOf(activity: {
  readonly channelData?: unknown;
  readonly conversation?: unknown;
}): string[] {
  const { channelData, conversation } = activity;
  const tenants: string[] = [];
  if (isRecord(channelData) && isRecord(channelData.tenant) && isNonEmptyString(channelData.tenant.id)) {
    tenants.push(channelData.tenant.id);
  }
  if (isRecord(conversation) && isNonEmptyString(conversation.tenantId)) tenants.push(conversation.tenantId);
  return tenants;
}
