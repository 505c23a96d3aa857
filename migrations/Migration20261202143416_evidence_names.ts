import { Migration } from '@mikro-orm/migrations';

/**
 * Evidence names stored before the upload cleaned them: control and format characters (the right-to-left override
 * and the other bidirectional marks, zero-width characters, BOM) removed, and the extension of the detected kind
 * appended when the name does not already end in one (src/features/evidence/upload.ts, evidenceFileName).
 */
export class Migration20261202143416_evidence_names extends Migration {
  override name = 'Migration20261202143416_evidence_names';

  override up(): void {
    this.addSql(`update "evidence_file" set "original_name" = coalesce(nullif(btrim(regexp_replace("original_name",
      '[\\u0001-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]',
      '', 'g')), ''), 'tep')
      where "original_name" ~ '[\\u0001-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb]';`);
    for (const [mediaType, pattern, ext] of [
      ['application/pdf', '\\.pdf$', 'pdf'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', '\\.docx$', 'docx'],
      ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '\\.xlsx$', 'xlsx'],
      ['image/jpeg', '\\.(jpe?g|jfif)$', 'jpg'],
      ['image/png', '\\.png$', 'png'],
    ]) {
      this.addSql(`update "evidence_file" set "original_name" = left("original_name", ${254 - ext.length}) || '.${ext}'
        where "media_type" = '${mediaType}' and "original_name" !~* '${pattern}';`);
    }
  }

  override down(): void {
    // The old names are not kept: nothing to undo.
  }
}
