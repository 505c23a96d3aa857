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
};
