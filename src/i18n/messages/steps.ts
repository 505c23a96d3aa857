// Words of the confirmation page before every weighty step (phase changes, approval, publication, corrections).

export const vi = {
  'confirm.title': 'Xác nhận: {action}',
  'confirm.lead': 'Bước này chưa được thực hiện. Đọc kỹ hậu quả dưới đây rồi bấm nút xác nhận ở cuối trang.',
  'confirm.effect': 'Điều sẽ xảy ra',
  'confirm.effect.self-assessment':
    'Các đơn vị bắt đầu tự đánh giá. Bộ tiêu chí, thành phần điểm, xếp loại và cách làm tròn được cố định, không đổi được nữa.',
  'confirm.effect.appraisal':
    'Tự đánh giá kết thúc: đơn vị chưa nộp không nộp được nữa và sẽ được công bố là “Không nộp báo cáo tự đánh giá”. Cơ quan thẩm định bắt đầu thẩm định các báo cáo đã nộp.',
  'confirm.effect.council-review':
    'Thẩm định kết thúc: thành viên thẩm định không sửa được điểm nữa, mục chưa thẩm định tính 0 điểm; mọi thay đổi sau đó phải qua đính chính có ghi lý do. Hội đồng nhận bảng xếp hạng sơ bộ.',
  'confirm.effect.approval':
    'Kết quả được phê duyệt theo quyết định dưới đây và không phê duyệt lại được; Thư ký Hội đồng công bố kết quả sau đó.',
  'confirm.effect.publication':
    'Kết quả được đóng băng thành phiên bản 1 và công khai cho mọi người: trang công khai, tệp JSON, CSV, Excel và mã SHA-256. Không sửa được; chỉ có thể đính chính bằng một phiên bản mới.',
  'confirm.effect.publication-correction':
    'Phiên bản {n} được công bố với lý do dưới đây và trở thành phiên bản mới nhất; phiên bản cũ vẫn được lưu và xem được.',
  'confirm.effect.score-correction':
    'Điểm thẩm định của tiêu chí {criterion}, đơn vị {unit}: {before} → {after}. Việc đính chính được ghi vào nhật ký; nếu kết quả đã công bố, cần công bố thêm phiên bản đính chính.',
  'confirm.numbers': 'Số liệu hiện tại',
  'confirm.assessed': 'Đơn vị được đánh giá',
  'confirm.submitted': 'Đơn vị đã nộp tự đánh giá',
  'confirm.submittedValue': '{n} / {units}',
  'confirm.submittedBlock': 'Đã nộp tự đánh giá — khối {name}',
  'confirm.selfDeadline': 'Hạn tự đánh giá',
  'confirm.appraisalDeadline': 'Hạn thẩm định',
  'confirm.deadline.left': '{date}: còn {n} ngày',
  'confirm.deadline.today': '{date}: hôm nay là ngày cuối',
  'confirm.deadline.past': '{date}: đã qua {n} ngày',
  'confirm.deadline.none': 'Chưa đặt',
  'confirm.openItems': 'Mục chưa thẩm định xong',
  'confirm.notSubmitted.title': 'Đơn vị chưa nộp tự đánh giá ({n})',
  'confirm.notSubmitted.none': 'Mọi đơn vị đã nộp tự đánh giá.',
  'confirm.notSubmitted.block': 'Khối {name} ({n})',
  'confirm.open.title': 'Mục chưa thẩm định xong theo cơ quan ({n})',
  'confirm.open.none': 'Không còn mục nào chưa thẩm định.',
  'confirm.open.agency': 'Cơ quan thẩm định',
  'confirm.open.count': 'Số mục',
  'confirm.open.unassigned': 'Chưa giao cơ quan',
  'confirm.early.title': 'Cảnh báo: bước này đến sớm',
  'confirm.early.beforeSelfDeadline': 'Chưa hết hạn tự đánh giá ({when}).',
  'confirm.early.notSubmitted':
    '{n} / {units} đơn vị chưa nộp báo cáo tự đánh giá; sau bước này họ không nộp được nữa và không được xếp hạng.',
  'confirm.early.beforeAppraisalDeadline': 'Chưa hết hạn thẩm định ({when}).',
  'confirm.early.openItems': 'Còn {n} mục chưa thẩm định xong; các mục này tính 0 điểm.',
  'confirm.decision': 'Quyết định',
  'confirm.decisionValue': 'Số {decision} ngày {date}',
  'confirm.reason': 'Lý do',
  'confirm.yes': 'Tôi đã đọc, xác nhận: {action}',
  'confirm.yesEarly': 'Vẫn thực hiện dù đến sớm: {action}',
  'confirm.cancel': 'Quay lại, chưa thực hiện',
  'approval.error.future': 'Ngày quyết định không được sau hôm nay ({today}).',
  'approval.error.beforeClose': 'Ngày quyết định không được trước ngày kết thúc thẩm định ({closed}).',
  'approval.rankingFirst': 'Đọc bảng xếp hạng sơ bộ ở trên trước khi phê duyệt.',
};

export const en: Record<keyof typeof vi, string> = {
  'confirm.title': 'Confirm: {action}',
  'confirm.lead': 'Nothing has been done yet. Read what follows, then press the confirmation button at the end.',
  'confirm.effect': 'What will happen',
  'confirm.effect.self-assessment':
    'Units start their self-assessment. The criteria set, composition, bands and rounding become fixed and cannot change any more.',
  'confirm.effect.appraisal':
    'Self-assessment ends: units that have not submitted cannot submit any more and will be published as “Did not submit a self-assessment”. The agencies start appraising the submitted ones.',
  'confirm.effect.council-review':
    'Appraisal ends: appraisers can no longer change scores and items not appraised count 0 points; any later change needs a recorded correction. The council receives the preliminary ranking.',
  'confirm.effect.approval':
    'The results are approved by the decision below and cannot be approved again; the secretariat then publishes them.',
  'confirm.effect.publication':
    'The results are frozen as version 1 and made public to everyone: the public pages, the JSON, CSV and Excel files and their SHA-256. They cannot be changed; only corrected by a new version.',
  'confirm.effect.publication-correction':
    'Version {n} is published with the reason below and becomes the newest; the earlier versions stay stored and visible.',
  'confirm.effect.score-correction':
    'The appraised score of criterion {criterion} of unit {unit}: {before} → {after}. The correction is written to the log; if the results are published, publish a correction version afterwards.',
  'confirm.numbers': 'The figures now',
  'confirm.assessed': 'Units assessed',
  'confirm.submitted': 'Units that submitted their self-assessment',
  'confirm.submittedValue': '{n} / {units}',
  'confirm.submittedBlock': 'Submitted their self-assessment — block {name}',
  'confirm.selfDeadline': 'Self-assessment deadline',
  'confirm.appraisalDeadline': 'Appraisal deadline',
  'confirm.deadline.left': '{date}: {n} days left',
  'confirm.deadline.today': '{date}: today is the last day',
  'confirm.deadline.past': '{date}: {n} days ago',
  'confirm.deadline.none': 'Not set',
  'confirm.openItems': 'Items not appraised yet',
  'confirm.notSubmitted.title': 'Units that have not submitted ({n})',
  'confirm.notSubmitted.none': 'Every unit has submitted its self-assessment.',
  'confirm.notSubmitted.block': 'Block {name} ({n})',
  'confirm.open.title': 'Items not appraised yet, per agency ({n})',
  'confirm.open.none': 'No item is left to appraise.',
  'confirm.open.agency': 'Appraising agency',
  'confirm.open.count': 'Items',
  'confirm.open.unassigned': 'No agency assigned',
  'confirm.early.title': 'Warning: this step comes early',
  'confirm.early.beforeSelfDeadline': 'The self-assessment deadline has not passed ({when}).',
  'confirm.early.notSubmitted':
    '{n} / {units} units have not submitted their self-assessment; after this step they cannot submit and are not ranked.',
  'confirm.early.beforeAppraisalDeadline': 'The appraisal deadline has not passed ({when}).',
  'confirm.early.openItems': '{n} items are not appraised yet; they count 0 points.',
  'confirm.decision': 'Decision',
  'confirm.decisionValue': 'No. {decision} of {date}',
  'confirm.reason': 'Reason',
  'confirm.yes': 'I have read this, confirm: {action}',
  'confirm.yesEarly': 'Go ahead although it is early: {action}',
  'confirm.cancel': 'Go back, do nothing',
  'approval.error.future': 'The decision date cannot be after today ({today}).',
  'approval.error.beforeClose': 'The decision date cannot be before appraisal closed ({closed}).',
  'approval.rankingFirst': 'Read the preliminary ranking above before approving.',
};
