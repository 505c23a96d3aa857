// Words of the admin pages for the campaign workbook: import, export, template.

export const vi = {
};

export const en: Record<keyof typeof vi, string> = {
};
