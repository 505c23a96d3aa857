// Words of the council's documents made from a publication: the appendix, the results report, the appraisal minutes.
// (The documents themselves are in Vietnamese whatever the reader's language, as official documents are.)

export const vi = {
  'docs.title': 'Văn bản kết quả Chỉ số CCHC',
  'docs.link': 'Văn bản kết quả (phụ lục, báo cáo, biên bản)',
  'docs.lead':
    'Các văn bản được lập từ kết quả đã công bố (phiên bản {version}, công bố lúc {time}); cùng một phiên bản luôn cho cùng nội dung. Chân trang mỗi văn bản ghi phiên bản và mã SHA-256 của results.json.',
  'docs.notPublished': 'Kỳ đánh giá chưa công bố kết quả: các văn bản có sau khi công bố.',
  'docs.version': 'Phiên bản công bố',
  'docs.version.option': 'Phiên bản {n}',
  'docs.version.show': 'Xem',
  'docs.files': 'Văn bản của cả kỳ đánh giá',
  'docs.appendixDocx': 'Phụ lục kết quả kèm Quyết định (DOCX, để ký ban hành)',
  'docs.appendixXlsx': 'Phụ lục kết quả (XLSX, bảng số liệu)',
  'docs.report': 'Báo cáo kết quả xác định Chỉ số CCHC (DOCX)',
  'docs.minutesZip': 'Biên bản thẩm định của tất cả {n} đơn vị (ZIP, mỗi đơn vị một tệp DOCX)',
  'docs.minutesZipHint':
    'Mỗi biên bản là một tệp riêng để ký và gửi từng đơn vị; tệp ZIP được lập dần từng đơn vị nên tải được cả khi có hàng nghìn đơn vị.',
  'docs.units': 'Biên bản thẩm định từng đơn vị',
  'docs.col.rank': 'Hạng',
  'docs.col.block': 'Khối',
  'docs.col.unit': 'Đơn vị',
  'docs.col.index': 'Chỉ số',
  'docs.col.band': 'Xếp loại',
  'docs.col.minutes': 'Biên bản',
  'docs.minutes': 'Tải biên bản (DOCX)',
  'docs.minutesOf': 'Biên bản thẩm định của {unit} (DOCX)',
  'docs.sha': 'SHA-256 của results.json: {sha}',
};

export const en: Record<keyof typeof vi, string> = {
  'docs.title': 'PAR Index result documents',
  'docs.link': 'Result documents (appendix, report, minutes)',
  'docs.lead':
    'The documents are made from the published results (version {version}, published {time}); the same version always gives the same content. Each document’s footer names the version and the SHA-256 of results.json.',
  'docs.notPublished': 'The campaign’s results are not published yet: the documents come after publication.',
  'docs.version': 'Published version',
  'docs.version.option': 'Version {n}',
  'docs.version.show': 'Show',
  'docs.files': 'Documents of the whole campaign',
  'docs.appendixDocx': 'Results appendix to the decision (DOCX, for signing)',
  'docs.appendixXlsx': 'Results appendix (XLSX, the table)',
  'docs.report': 'Report on the PAR Index results (DOCX)',
  'docs.minutesZip': 'Appraisal minutes of all {n} units (ZIP, one DOCX file per unit)',
  'docs.minutesZipHint':
    'Each unit’s minutes are a file of their own, to sign and send to that unit; the ZIP is written one unit at a time, so it downloads even with thousands of units.',
  'docs.units': 'Appraisal minutes per unit',
  'docs.col.rank': 'Rank',
  'docs.col.block': 'Block',
  'docs.col.unit': 'Unit',
  'docs.col.index': 'Index',
  'docs.col.band': 'Band',
  'docs.col.minutes': 'Minutes',
  'docs.minutes': 'Download minutes (DOCX)',
  'docs.minutesOf': 'Appraisal minutes of {unit} (DOCX)',
  'docs.sha': 'SHA-256 of results.json: {sha}',
};
