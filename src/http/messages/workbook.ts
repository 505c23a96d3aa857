// Words of the admin pages for the campaign workbook: import, export, template.

export const vi = {
  'workbook.import.title': 'Nhập kỳ đánh giá từ tệp Excel',
  'workbook.import.intro': 'Một tệp .xlsx mô tả trọn một kỳ đánh giá: thông tin kỳ, cơ quan thẩm định, đơn vị được đánh giá, bộ tiêu chí và, với các năm trước, điểm, kết quả khảo sát hoặc điểm thành phần. Tệp có lỗi thì không có gì được nhập.',
  'workbook.import.file': 'Tệp Excel (.xlsx)',
  'workbook.import.hint': 'Tên trang tính và tên cột giữ đúng như tệp mẫu. Tối đa {mb} MB.',
  'workbook.import.submit': 'Nhập tệp',
  'workbook.import.required': 'Chọn một tệp .xlsx để nhập.',
  'workbook.import.failed': 'Tệp có {count} lỗi nên chưa có gì được nhập. Sửa các lỗi trong bảng dưới đây rồi gửi lại tệp.',
  'workbook.template.link': 'Tải tệp mẫu (.xlsx)',
  'workbook.template.hint': 'Trang huong-dan trong tệp mẫu giải thích từng cột; mỗi trang có một dòng ví dụ.',
  'workbook.errors.title': 'Lỗi trong tệp',
  'workbook.warnings.title': 'Phần bị bỏ qua',
  'workbook.column.sheet': 'Trang tính',
  'workbook.column.row': 'Dòng',
  'workbook.column.column': 'Cột',
  'workbook.column.message': 'Nội dung',
};

export const en: Record<keyof typeof vi, string> = {
  'workbook.import.title': 'Import a campaign from an Excel workbook',
  'workbook.import.intro': 'One .xlsx file describes a whole campaign: its settings, the appraising agencies, the assessed units, the criteria set and, for past years, the scores, survey results or component points. A file with any error imports nothing.',
  'workbook.import.file': 'Excel workbook (.xlsx)',
  'workbook.import.hint': 'Keep the sheet and column names of the template. At most {mb} MB.',
  'workbook.import.submit': 'Import',
  'workbook.import.required': 'Choose an .xlsx file to import.',
  'workbook.import.failed': 'The file has {count} error(s), so nothing was imported. Correct the errors listed below and send the file again.',
  'workbook.template.link': 'Download the template (.xlsx)',
  'workbook.template.hint': 'The template\'s huong-dan sheet explains every column; each sheet has one example row.',
  'workbook.errors.title': 'Errors in the file',
  'workbook.warnings.title': 'Ignored',
  'workbook.column.sheet': 'Sheet',
  'workbook.column.row': 'Row',
  'workbook.column.column': 'Column',
  'workbook.column.message': 'Problem',
};
