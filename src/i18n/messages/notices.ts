// Words of the inbox and its notices (src/features/notices.ts): one sentence per kind, {count} the events grouped in it.

export const vi = {
  'inbox.title': 'Thông báo',
  'inbox.nav': 'Thông báo',
  'inbox.nav.unread': 'Thông báo ({n} chưa đọc)',
  'inbox.unread': '{n} thông báo chưa đọc',
  'inbox.allRead': 'Không có thông báo chưa đọc.',
  'inbox.empty':
    'Chưa có thông báo nào. Khi có việc liên quan đến bạn (yêu cầu giải trình, mở kỳ đánh giá, công bố kết quả), thông báo sẽ hiện ở đây.',
  'inbox.readAll': 'Đánh dấu tất cả là đã đọc',
  'inbox.new': 'Mới',
  'inbox.pages': 'Các trang thông báo',
  'notice.selfAssessmentOpened': '{campaignName}: {unitName} bắt đầu tự đánh giá, hạn nộp {closes}.',
  'notice.appraisalOpened':
    '{campaignName}: bắt đầu thẩm định, {agencyName} có {items} mục cần thẩm định, hạn {closes}.',
  'notice.submitted': '{campaignName}: {count} đơn vị vừa nộp báo cáo tự đánh giá, gần nhất là {unitName}.',
  'notice.requested': '{campaignName}: {count} yêu cầu giải trình bổ sung cho {unitName}, hạn trả lời {due}.',
  'notice.answered': '{campaignName}: {unitName} đã giải trình {count} mục, chờ anh/chị quyết định.',
  'notice.decided': '{campaignName}: cơ quan thẩm định đã quyết định {count} mục {unitName} đã giải trình.',
  'notice.review': '{campaignName}: thẩm định đã kết thúc, kết quả chờ Chủ tịch Hội đồng xem xét, phê duyệt.',
  'notice.published': '{campaignName}: kết quả đã công bố (phiên bản {version}). Xem kết quả của {unitName}.',
  'notice.corrected': '{campaignName}: kết quả đã được đính chính (phiên bản {version}). Xem kết quả của {unitName}.',
  'notice.message': '{campaignName} — {from} gửi {unitName}: {text}',
  'notice.error.text': 'Nhập nội dung thông báo.',
  'notice.error.textLong': 'Nội dung thông báo dài quá 2.000 ký tự.',
  'notice.error.nobody': 'Không có đơn vị nào (có cán bộ đầu mối hoặc lãnh đạo) trong nhóm đã chọn.',
  'notice.error.audience': 'Chọn nhóm đơn vị nhận thông báo.',
  'message.title': 'Gửi thông báo đến các đơn vị',
  'message.hint':
    'Thông báo đến cán bộ đầu mối và lãnh đạo của từng đơn vị trong nhóm đã chọn, hiện trong mục Thông báo của họ; việc gửi được ghi vào nhật ký.',
  'message.audience': 'Gửi đến',
  'message.audience.all': 'Tất cả đơn vị của kỳ đánh giá',
  'message.audience.notSubmitted': 'Các đơn vị chưa nộp báo cáo tự đánh giá',
  'message.audience.block': 'Các đơn vị khối {block}',
  'message.text': 'Nội dung',
  'message.send': 'Gửi thông báo',
  'message.sent': 'Đã gửi thông báo đến {people} người của {units} đơn vị.',
};

export const en: Record<keyof typeof vi, string> = {
  'inbox.title': 'Notices',
  'inbox.nav': 'Notices',
  'inbox.nav.unread': 'Notices ({n} unread)',
  'inbox.unread': '{n} unread notices',
  'inbox.allRead': 'No unread notices.',
  'inbox.empty':
    'No notices yet. When something concerns you (a request for explanation, a phase opening, a publication), it appears here.',
  'inbox.readAll': 'Mark all as read',
  'inbox.new': 'New',
  'inbox.pages': 'Pages of notices',
  'notice.selfAssessmentOpened': '{campaignName}: self-assessment of {unitName} has started, due {closes}.',
  'notice.appraisalOpened':
    '{campaignName}: appraisal has started; {agencyName} has {items} items to appraise, due {closes}.',
  'notice.submitted':
    '{campaignName}: units that just submitted their self-assessment: {count}, the latest {unitName}.',
  'notice.requested': '{campaignName}: requests for explanation to {unitName}: {count}, to answer by {due}.',
  'notice.answered': '{campaignName}: {unitName} answered items: {count}, waiting for your decision.',
  'notice.decided': '{campaignName}: the appraisers decided items {unitName} had explained: {count}.',
  'notice.review':
    '{campaignName}: appraisal has closed; the results wait for the council chair to review and approve.',
  'notice.published': '{campaignName}: the results are published (version {version}). See the result of {unitName}.',
  'notice.corrected': '{campaignName}: the results were corrected (version {version}). See the result of {unitName}.',
  'notice.message': '{campaignName} — {from} to {unitName}: {text}',
  'notice.error.text': 'Write the message.',
  'notice.error.textLong': 'The message is longer than 2,000 characters.',
  'notice.error.nobody': 'No unit (with an officer or a head) in the chosen group.',
  'notice.error.audience': 'Choose the units to write to.',
  'message.title': 'Write to the units',
  'message.hint':
    'A notice to the officers and heads of each unit in the chosen group, in their Notices; the message is recorded in the audit log.',
  'message.audience': 'To',
  'message.audience.all': 'Every unit of the campaign',
  'message.audience.notSubmitted': 'Units that have not submitted their self-assessment',
  'message.audience.block': 'Units of the block {block}',
  'message.text': 'Message',
  'message.send': 'Send',
  'message.sent': 'Sent to {people} people of {units} units.',
};
