/**
 * The profile fields a person can set and correct (GDPR Art. 16): the domain's list, which the
 * storage ports, the export schema and the dialogs read. Add one here, give it its limit below
 * and its name in the locales (`correct.fields.<field>`); the compiler points at the rest.
 */
export const PROFILE_FIELDS = ['preferredName'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/**
 * The longest value accepted for each field (String length). Longer input is refused, not cut:
 * a shortened name would be a value the person never gave.
 */
export const PROFILE_FIELD_MAX_LENGTH: Readonly<Record<ProfileField, number>> = {
  preferredName: 64,
};

export function isProfileField(value: string | undefined): value is ProfileField {
  return (PROFILE_FIELDS as readonly string[]).includes(value ?? '');
}
