// Words of the admin pages for criteria sets and their tree.

export const vi = {
};

export const en: Record<keyof typeof vi, string> = {
};
