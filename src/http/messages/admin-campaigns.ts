// Words of the admin pages for campaigns: settings, units, exemptions, phases.

export const vi = {
};

export const en: Record<keyof typeof vi, string> = {
};
