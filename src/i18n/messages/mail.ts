// Words of e-mail (src/features/mail.ts) and of each person's mail settings on their account page.

export const vi = {
  'mail.subject.one': 'Chỉ số CCHC: {text}',
  'mail.subject.many': 'Chỉ số CCHC: {n} thông báo mới',
  'mail.subject.digest': 'Chỉ số CCHC: tóm tắt {n} thông báo trong ngày',
  'mail.greeting': 'Kính gửi {name},',
  'mail.intro': 'Cổng Chỉ số CCHC có {n} thông báo mới cho anh/chị:',
  'mail.intro.digest': 'Tóm tắt {n} thông báo của Cổng Chỉ số CCHC chưa được đọc:',
  'mail.open': 'Mở trang để xử lý',
  'mail.footer': 'Thư này được gửi tự động, vui lòng không trả lời.',
  'mail.settings': 'Thay đổi cách nhận thư',
  'mail.error.email': 'Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@example.gov.vn).',
  'mail.error.emailNeeded': 'Nhập địa chỉ thư điện tử để nhận thông báo qua thư.',
  'mail.error.mode': 'Chọn cách nhận thông báo qua thư.',
  'account.mail.title': 'Nhận thông báo qua thư điện tử',
  'mail.admin.title': 'Tình trạng gửi thư điện tử',
  'mail.admin.sentToday': 'Đã gửi {n} thư trong 24 giờ qua.',
  'mail.admin.none': 'Không có thư nào bị từ chối hay chờ gửi lại.',
  'mail.admin.hint':
    'Thư bị máy chủ thư từ chối được gửi lại sau 1, 2, 4 … phút; sau 8 lần, hoặc khi địa chỉ bị từ chối hẳn, thư được bỏ qua. Thông báo vẫn ở trong mục Thông báo của người nhận.',
  'mail.admin.person': 'Người nhận',
  'mail.admin.state': 'Tình trạng',
  'mail.admin.error': 'Trả lời gần nhất của máy chủ thư',
  'mail.admin.retry': 'Sẽ gửi lại lúc {at} (đã thử {n} lần)',
  'mail.admin.failed': 'Đã bỏ qua lúc {at} (sau {n} lần thử)',
  'mail.admin.noAddress': 'Người nhận đã xóa địa chỉ thư điện tử.',
  'mail.admin.noNotices': 'Các thông báo của thư không còn (kỳ đánh giá đã bị xóa).',
  'account.mail.hint':
    'Thông báo luôn hiện trong mục Thông báo. Anh/chị có thể nhận thêm qua thư điện tử: ngay khi có, hoặc mỗi ngày một thư tóm tắt các thông báo của ngày hôm trước.',
  'account.mail.email': 'Địa chỉ thư điện tử',
  'account.mail.mode': 'Nhận thư',
  'account.mail.mode.immediate': 'Ngay khi có thông báo',
  'account.mail.mode.digest': 'Tóm tắt hằng ngày (một thư mỗi ngày)',
  'account.mail.mode.none': 'Không nhận thư',
  'account.mail.off': 'Cổng chưa được cấu hình gửi thư điện tử: thông báo chỉ hiện trong mục Thông báo.',
  'account.mail.submit': 'Lưu',
  'account.mail.done': 'Đã lưu cách nhận thông báo qua thư.',
  'reminders.days': 'Nhắc trước hạn (số ngày)',
  'reminders.days.hint':
    'Trước hạn nộp tự đánh giá và hạn thẩm định bao nhiêu ngày thì nhắc các đơn vị chưa nộp và cơ quan còn mục chưa thẩm định; nhiều số cách nhau bằng dấu phẩy, ví dụ 3,1. Để trống: không nhắc.',
  'reminders.days.format': 'Nhập các số ngày từ 1 đến 60, cách nhau bằng dấu phẩy (ví dụ 3,1).',
  'notice.selfAssessmentClosing':
    '{campaignName}: còn {days} ngày là hết hạn nộp báo cáo tự đánh giá ({closes}); {unitName} chưa nộp.',
  'notice.answersDue':
    '{campaignName}: hôm nay ({due}) là hạn trả lời {requests} yêu cầu giải trình của {unitName} chưa được trả lời.',
  'notice.appraisalClosing':
    '{campaignName}: còn {days} ngày là hết hạn thẩm định ({closes}); {agencyName} còn {items} mục.',
};

export const en: Record<keyof typeof vi, string> = {
  'mail.subject.one': 'CCHC index: {text}',
  'mail.subject.many': 'CCHC index: {n} new notices',
  'mail.subject.digest': 'CCHC index: daily digest of {n} notices',
  'mail.greeting': 'Dear {name},',
  'mail.intro': 'The CCHC index portal has new notices for you: {n}.',
  'mail.intro.digest': 'A digest of the unread notices of the CCHC index portal: {n}.',
  'mail.open': 'Open the page to act',
  'mail.footer': 'This message was sent automatically; please do not reply.',
  'mail.settings': 'Change how you receive mail',
  'mail.error.email': 'This is not a valid e-mail address (for example name@example.gov.vn).',
  'mail.error.emailNeeded': 'Enter an e-mail address to receive notices by mail.',
  'mail.error.mode': 'Choose how to receive notices by mail.',
  'account.mail.title': 'Notices by e-mail',
  'mail.admin.title': 'E-mail delivery',
  'mail.admin.sentToday': 'Messages sent in the last 24 hours: {n}.',
  'mail.admin.none': 'No message was refused or is waiting to be sent again.',
  'mail.admin.hint':
    'A message the mail server refused is sent again after 1, 2, 4 … minutes; after 8 tries, or when the address is refused for good, it is given up. The notice stays in the person’s Notices.',
  'mail.admin.person': 'Recipient',
  'mail.admin.state': 'State',
  'mail.admin.error': 'The mail server’s last answer',
  'mail.admin.retry': 'To be sent again at {at} (tries: {n})',
  'mail.admin.failed': 'Given up at {at} (after {n} tries)',
  'mail.admin.noAddress': 'The recipient removed their e-mail address.',
  'mail.admin.noNotices': 'The notices of the message are gone (their campaign was deleted).',
  'account.mail.hint':
    'Notices always appear under Notices. You may also receive them by e-mail: as they come, or one message a day gathering the notices of the day before.',
  'account.mail.email': 'E-mail address',
  'account.mail.mode': 'Mail',
  'account.mail.mode.immediate': 'As soon as there is a notice',
  'account.mail.mode.digest': 'Daily digest (one message a day)',
  'account.mail.mode.none': 'No mail',
  'account.mail.off': 'The portal is not set up to send e-mail: notices only appear under Notices.',
  'account.mail.submit': 'Save',
  'account.mail.done': 'Your mail settings were saved.',
  'reminders.days': 'Reminders before the deadline (days)',
  'reminders.days.hint':
    'How many days before self-assessment and appraisal close to remind the units that have not submitted and the agencies with items left; several numbers separated by commas, e.g. 3,1. Empty: no reminders.',
  'reminders.days.format': 'Enter numbers of days from 1 to 60, separated by commas (e.g. 3,1).',
  'notice.selfAssessmentClosing':
    '{campaignName}: self-assessment closes in {days} day(s) ({closes}); {unitName} has not submitted.',
  'notice.answersDue':
    '{campaignName}: today ({due}) is the deadline of requests for explanation to {unitName} not answered yet: {requests}.',
  'notice.appraisalClosing':
    '{campaignName}: appraisal closes in {days} day(s) ({closes}); {agencyName} has items left: {items}.',
};
