// Words of the admin pages for units, agencies, users and roles.

export const vi = {
};

export const en: Record<keyof typeof vi, string> = {
};
