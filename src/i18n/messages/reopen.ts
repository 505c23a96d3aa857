// Words of reopening a submitted self-assessment and of units' own survey figures (issue 23, items 6 and 5):
// src/features/self-assessment/reopen.ts, src/features/survey-by-units.ts and their pages.

export const vi = {
  'reopen.link': 'Mở lại',
  'reopen.tag': 'Đã mở lại, chờ đơn vị nộp lại',
  'reopen.title': 'Mở lại bản tự đánh giá của {unit}',
  'reopen.lead':
    'Bản tự đánh giá của {unit} đã nộp. Mở lại để đơn vị sửa và nộp lại; chưa có gì thay đổi cho đến khi bạn xác nhận bên dưới.',
  'reopen.openReason': 'Lý do mở lại lần này: {reason}',
  'reopen.numbers': 'Số liệu hiện nay',
  'reopen.submittedAt': 'Đơn vị nộp lúc',
  'reopen.items': 'Mục thẩm định của đơn vị',
  'reopen.decided': 'Mục đã có kết quả thẩm định',
  'reopen.inRequest': 'Mục đang yêu cầu giải trình',
  'reopen.earlier': 'Số lần đã mở lại trước đây',
  'reopen.effect': 'Điều gì sẽ xảy ra',
  'reopen.effect.edit':
    'Đơn vị được sửa điểm tự chấm, giải trình và tài liệu kiểm chứng (kể cả khi đã hết hạn tự đánh giá); trong thời gian đó {items} mục của đơn vị rời khỏi hàng chờ thẩm định.',
  'reopen.effect.kept':
    'Khi đơn vị nộp lại, trong {decided} kết quả thẩm định đã có: tiêu chí nào đơn vị không sửa (điểm tự chấm, giải trình, tài liệu kiểm chứng như lúc mở lại) thì giữ nguyên kết quả.',
  'reopen.effect.keptNone':
    'Chưa có kết quả thẩm định nào: khi đơn vị nộp lại, mọi tiêu chí được thẩm định như lần nộp đầu.',
  'reopen.effect.returned':
    'Tiêu chí nào đơn vị đã sửa thì trở lại hàng chờ, chưa thẩm định, có dấu "Đơn vị đã sửa sau khi mở lại".',
  'reopen.effect.councilReview':
    'Giai đoạn thẩm định đã kết thúc: các tiêu chí trở lại hàng chờ được Tổ thư ký chấm lại bằng điều chỉnh điểm (có ghi lý do).',
  'reopen.effect.told':
    'Cán bộ đầu mối và lãnh đạo đơn vị được thông báo kèm lý do. Chủ tịch Hội đồng chưa phê duyệt được kết quả khi đơn vị chưa nộp lại. Việc mở lại được ghi nhật ký.',
  'reopen.done':
    'Đã mở lại bản tự đánh giá của {unit}. Đơn vị đã được thông báo kèm lý do; khi đơn vị nộp lại, trạng thái trong danh sách dưới đây đổi theo.',
  'reopen.reason': 'Lý do mở lại',
  'reopen.reason.hint': 'Đơn vị đọc lý do này trên trang của mình, ví dụ: "Nộp nhầm, thiếu tài liệu tiêu chí 2.1".',
  'reopen.yes': 'Mở lại bản tự đánh giá',
  'reopen.cancel': 'Không mở lại, quay về',
  'reopen.mark': 'Đơn vị đã sửa sau khi mở lại',
  'reopen.error.reason': 'Nhập lý do mở lại.',
  'reopen.error.reasonLong': 'Lý do mở lại dài quá 2.000 ký tự.',
  'reopen.error.closed':
    'Không thể mở lại: kết quả kỳ đánh giá đã được phê duyệt hoặc công bố. Muốn đổi điểm, dùng điều chỉnh điểm (có ghi lý do).',
  'reopen.error.notSubmitted':
    'Không thể mở lại: đơn vị chưa nộp bản tự đánh giá (hoặc đã được mở lại và chưa nộp lại).',
  'reopen.error.draftPhase': 'Không thể mở lại: kỳ đánh giá chưa bắt đầu tự đánh giá.',
  'reopen.error.approvalPending': 'Chưa phê duyệt được: {n} đơn vị được mở lại bản tự đánh giá và chưa nộp lại.',
  'reopen.unit.title': '{campaign}: Tổ thư ký đã mở lại bản tự đánh giá của {unit}',
  'reopen.unit.when': 'Mở lại lúc {time}.',
  'reopen.unit.reason': 'Lý do:',
  'reopen.unit.what':
    'Sửa các tiêu chí cần sửa rồi nộp lại. Tiêu chí không sửa giữ nguyên kết quả thẩm định đã có; tiêu chí đã sửa được thẩm định lại.',
  'reopen.unit.open': 'Sửa và nộp lại',
  'notice.reopened': '{campaignName}: Tổ thư ký đã mở lại bản tự đánh giá của {unitName}. Lý do: {reason}',
  'notice.returned':
    '{campaignName}: {unitName} đã nộp lại sau khi được mở lại; {count} mục đơn vị đã sửa trở lại hàng chờ thẩm định.',
  'notice.returnedForCorrection':
    '{campaignName}: {unitName} đã nộp lại sau khi được mở lại; {count} mục đơn vị đã sửa chưa có điểm thẩm định. Giai đoạn thẩm định đã kết thúc: chấm lại bằng đính chính.',
  'reopen.survey.link': 'Số liệu điều tra xã hội học của đơn vị',
  'reopen.survey.title': 'Số liệu điều tra xã hội học của đơn vị',
  'reopen.survey.until':
    'Đơn vị tự nhập số liệu đến hết ngày {date}; sau ngày đó, số liệu của Tổ thư ký là số liệu chính thức.',
  'reopen.survey.hint':
    'Nhập số phiếu thu về, số câu trả lời "hài lòng" và "rất hài lòng", số câu hỏi mỗi phiếu. Điểm thành phần tối đa {max}.',
  'reopen.survey.component': 'Điểm thành phần điều tra xã hội học theo số liệu này: {points} / {max}.',
  'reopen.survey.locked.online': 'Kỳ đánh giá khảo sát trực tuyến: số liệu lấy từ phiếu trả lời, đơn vị không nhập.',
  'reopen.survey.locked.notAllowed': 'Kỳ đánh giá không cho đơn vị tự nhập số liệu khảo sát: Tổ thư ký nhập.',
  'reopen.survey.locked.closed':
    'Đã hết hạn đơn vị nhập số liệu khảo sát ({date}): số liệu dưới đây chỉ để xem; số liệu Tổ thư ký nhập là số liệu chính thức.',
  'reopen.survey.locked.role': 'Cán bộ đầu mối hoặc lãnh đạo đơn vị nhập số liệu khảo sát; bạn chỉ xem.',
  'reopen.survey.error.date': 'Nhập ngày theo dạng dd/mm/yyyy, ví dụ 20/11/2026.',
  'reopen.survey.error.dateNeeded': 'Nhập ngày cuối cùng đơn vị được tự nhập số liệu.',
  'reopen.survey.setting.on': 'Đơn vị tự nhập số liệu khảo sát đến hết ngày {date}',
  'reopen.survey.setting.off': 'Đơn vị tự nhập số liệu khảo sát: không (Tổ thư ký nhập)',
  'reopen.survey.setting.legend': 'Đơn vị tự nhập số liệu khảo sát',
  'reopen.survey.setting.unitsEnter': 'Cho các đơn vị tự nhập số liệu khảo sát của mình',
  'reopen.survey.setting.closes': 'Đến hết ngày',
  'reopen.survey.setting.closesHint':
    'dd/mm/yyyy. Sau ngày này đơn vị chỉ xem; số liệu Tổ thư ký nhập trên trang này là số liệu chính thức.',
};

export const en: Record<keyof typeof vi, string> = {
  'reopen.link': 'Reopen',
  'reopen.tag': 'Reopened, waiting for the unit to submit again',
  'reopen.title': 'Reopen the self-assessment of {unit}',
  'reopen.lead':
    'The self-assessment of {unit} is submitted. Reopen it so that the unit edits and submits it again; nothing changes until you confirm below.',
  'reopen.openReason': 'Reason of the open reopening: {reason}',
  'reopen.numbers': 'Where things stand',
  'reopen.submittedAt': 'Submitted at',
  'reopen.items': 'Appraisal items of the unit',
  'reopen.decided': 'Items already appraised',
  'reopen.inRequest': 'Items with a request for explanation',
  'reopen.earlier': 'Earlier reopenings',
  'reopen.effect': 'What will happen',
  'reopen.effect.edit':
    'The unit may change its self scores, explanations and evidence (even after the self-assessment deadline); meanwhile its {items} items leave the appraisal queue.',
  'reopen.effect.kept':
    'When the unit submits again, of the {decided} appraisals made: a criterion the unit did not change (self score, explanation and evidence as at the reopening) keeps its appraisal.',
  'reopen.effect.keptNone':
    'No appraisal has been made yet: when the unit submits again, every criterion is appraised as at a first submission.',
  'reopen.effect.returned':
    'A criterion the unit changed returns to the queue, undecided, marked "Changed by the unit after reopening".',
  'reopen.effect.councilReview':
    'Appraisal is over: the criteria returned to the queue are scored again by the secretariat through a correction (with its reason).',
  'reopen.effect.told':
    "The unit's officers and head are told, with the reason. The chair cannot approve the results until the unit submits again. The reopening is audited.",
  'reopen.done':
    "{unit}'s self-assessment is reopened. The unit has been told, with the reason; the list below changes once it submits again.",
  'reopen.reason': 'Reason for reopening',
  'reopen.reason.hint':
    'The unit reads this reason on its pages, e.g. "Submitted by mistake, evidence missing for 2.1".',
  'reopen.yes': 'Reopen the self-assessment',
  'reopen.cancel': 'Do not reopen, go back',
  'reopen.mark': 'Changed by the unit after reopening',
  'reopen.error.reason': 'Give the reason for reopening.',
  'reopen.error.reasonLong': 'The reason is longer than 2,000 characters.',
  'reopen.error.closed':
    "Cannot reopen: the campaign's results are approved or published. To change a score, make a correction (with its reason).",
  'reopen.error.notSubmitted':
    'Cannot reopen: the unit has not submitted its self-assessment (or it is reopened and not submitted again).',
  'reopen.error.draftPhase': 'Cannot reopen: the campaign has not started its self-assessment.',
  'reopen.error.approvalPending': 'Cannot approve yet: self-assessments reopened and not submitted again: {n}.',
  'reopen.unit.title': '{campaign}: the secretariat reopened the self-assessment of {unit}',
  'reopen.unit.when': 'Reopened at {time}.',
  'reopen.unit.reason': 'Reason:',
  'reopen.unit.what':
    'Change the criteria that need it, then submit again. Criteria left unchanged keep their appraisal; changed ones are appraised again.',
  'reopen.unit.open': 'Edit and submit again',
  'notice.reopened': '{campaignName}: the secretariat reopened the self-assessment of {unitName}. Reason: {reason}',
  'notice.returned':
    '{campaignName}: {unitName} submitted again after its reopening; items it changed are back in the appraisal queue: {count}.',
  'notice.returnedForCorrection':
    '{campaignName}: {unitName} submitted again after its reopening; items it changed have no appraised score: {count}. Appraisal is over: score them by correction.',
  'reopen.survey.link': "The unit's survey figures",
  'reopen.survey.title': "The unit's survey figures",
  'reopen.survey.until':
    "The unit enters its figures until the end of {date}; after that day, the secretariat's figures are the official ones.",
  'reopen.survey.hint':
    'Enter the forms returned, the "satisfied" and "very satisfied" answers, and the questions per form. The component is worth at most {max}.',
  'reopen.survey.component': 'The survey component from these figures: {points} / {max}.',
  'reopen.survey.locked.online':
    'The campaign surveys online: the figures come from the answers; the unit does not enter them.',
  'reopen.survey.locked.notAllowed':
    'The campaign does not let units enter their survey figures: the secretariat does.',
  'reopen.survey.locked.closed':
    "The units' time to enter survey figures is over ({date}): the figures below are shown only; the secretariat's figures are the official ones.",
  'reopen.survey.locked.role': "The unit's officer or head enters the survey figures; you can only read them.",
  'reopen.survey.error.date': 'Write the date as dd/mm/yyyy, e.g. 20/11/2026.',
  'reopen.survey.error.dateNeeded': 'Give the last day on which units may enter their figures.',
  'reopen.survey.setting.on': 'Units enter their own survey figures until the end of {date}',
  'reopen.survey.setting.off': 'Units enter their own survey figures: no (the secretariat does)',
  'reopen.survey.setting.legend': 'Units enter their own survey figures',
  'reopen.survey.setting.unitsEnter': 'Let the units enter their own survey figures',
  'reopen.survey.setting.closes': 'Until the end of',
  'reopen.survey.setting.closesHint':
    'dd/mm/yyyy. After this day units only read them; the figures the secretariat enters on this page are the official ones.',
};
