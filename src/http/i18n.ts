import type { Language } from '../db/entities/people.ts';

const vi = {
  'portal.name': 'Chỉ số cải cách hành chính',
  'portal.short': 'Chỉ số CCHC',
  'nav.home': 'Trang chủ',
  'nav.signIn': 'Đăng nhập',
  'nav.signOut': 'Đăng xuất',
  'nav.skip': 'Bỏ qua, đến nội dung chính',
  'nav.main': 'Điều hướng chính',
  'nav.admin': 'Quản trị',
  'nav.admin.units': 'Đơn vị',
  'nav.admin.users': 'Người dùng',
  'nav.admin.criteriaSets': 'Bộ tiêu chí',
  'nav.admin.campaigns': 'Kỳ đánh giá',
  'nav.unit': 'Tự đánh giá',
  'nav.appraisal': 'Thẩm định',
  'nav.council': 'Hội đồng',
  'lang.switch': 'Ngôn ngữ',
  'role.admin': 'Thư ký (Phòng Nội vụ)',
  'role.chair': 'Chủ tịch Hội đồng',
  'role.appraiser': 'Thành viên thẩm định',
  'role.officer': 'Cán bộ CCHC',
  'role.head': 'Chủ tịch UBND',
  'role.contributor': 'Người được phân công',
  'state.draft': 'Bản nháp',
  'state.self-assessment': 'Tự đánh giá',
  'state.appraisal': 'Thẩm định',
  'state.council-review': 'Hội đồng xem xét',
  'state.approved': 'Đã phê duyệt',
  'state.published': 'Đã công bố',
  'public.title': 'Chỉ số cải cách hành chính công bố',
  'public.intro': 'Kết quả đánh giá, xếp hạng Chỉ số cải cách hành chính của các cơ quan, đơn vị, công bố công khai cho người dân và doanh nghiệp.',
  'public.none': 'Chưa có kỳ đánh giá nào được công bố.',
  'public.published': 'Các kỳ đã công bố',
  'public.staff': 'Cán bộ, công chức tham gia đánh giá: đăng nhập để tự đánh giá, thẩm định hoặc quản trị.',
  'signIn.title': 'Đăng nhập',
  'signIn.username': 'Tên đăng nhập',
  'signIn.password': 'Mật khẩu',
  'signIn.submit': 'Đăng nhập',
  'signIn.failed': 'Tên đăng nhập hoặc mật khẩu không đúng.',
  'signIn.locked': 'Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau {minutes} phút.',
  'signIn.required.username': 'Nhập tên đăng nhập.',
  'signIn.required.password': 'Nhập mật khẩu.',
  'errors.summary': 'Có lỗi cần sửa',
  'errors.notFound.title': 'Không tìm thấy trang',
  'errors.notFound.body': 'Trang bạn tìm không có hoặc bạn không có quyền xem.',
  'errors.forbidden.title': 'Không có quyền',
  'errors.forbidden.body': 'Bạn không có quyền thực hiện thao tác này.',
  'errors.csrf.title': 'Phiên làm việc đã hết hạn',
  'errors.csrf.body': 'Biểu mẫu đã hết hạn. Vui lòng tải lại trang và thử lại.',
  'errors.server.title': 'Có lỗi xảy ra',
  'errors.server.body': 'Hệ thống gặp sự cố khi xử lý yêu cầu. Dữ liệu của bạn chưa bị thay đổi. Vui lòng thử lại sau.',
  'errors.bad.title': 'Yêu cầu không hợp lệ',
  'errors.bad.body': 'Yêu cầu gửi lên không hợp lệ.',
  'errors.tooLarge.title': 'Tệp quá lớn',
  'errors.tooLarge.body': 'Tệp gửi lên vượt quá dung lượng cho phép.',
  'errors.backHome': 'Về trang chủ',
  'home.title': 'Xin chào, {name}',
  'home.areas': 'Công việc của bạn',
  'home.noRole': 'Tài khoản của bạn chưa được phân vai trò. Liên hệ Phòng Nội vụ.',
  'unit.title': 'Tự đánh giá',
  'unit.campaigns': 'Các kỳ đánh giá',
  'unit.none': 'Đơn vị chưa tham gia kỳ đánh giá nào.',
  'unit.deadline': 'Hạn tự đánh giá: {date}',
  'unit.daysLeft': 'còn {days} ngày',
  'unit.closed': 'đã hết hạn',
  'unit.progress': 'Tiến độ: {done} / {total} tiêu chí đã chấm',
  'unit.field': 'Lĩnh vực',
  'unit.max': 'Tối đa',
  'unit.selfTotal': 'Tự chấm',
  'appraisal.title': 'Thẩm định',
  'appraisal.agency': 'Cơ quan thẩm định: {agency}',
  'appraisal.none': 'Chưa có kỳ đánh giá nào ở giai đoạn thẩm định.',
  'council.title': 'Hội đồng thẩm định',
  'admin.title': 'Quản trị',
  'admin.counts': 'Tổng quan',
  'common.campaign': 'Kỳ đánh giá',
  'common.state': 'Giai đoạn',
  'common.year': 'Năm',
  'common.units': 'Đơn vị',
  'common.users': 'Người dùng',
  'common.criteriaSets': 'Bộ tiêu chí',
  'common.campaigns': 'Kỳ đánh giá',
  'common.open': 'Mở',
};

type Key = keyof typeof vi;

const en: Record<Key, string> = {
  'portal.name': 'Administrative Reform Index',
  'portal.short': 'PAR Index',
  'nav.home': 'Home',
  'nav.signIn': 'Sign in',
  'nav.signOut': 'Sign out',
  'nav.skip': 'Skip to main content',
  'nav.main': 'Main navigation',
  'nav.admin': 'Administration',
  'nav.admin.units': 'Units',
  'nav.admin.users': 'Users',
  'nav.admin.criteriaSets': 'Criteria sets',
  'nav.admin.campaigns': 'Campaigns',
  'nav.unit': 'Self-assessment',
  'nav.appraisal': 'Appraisal',
  'nav.council': 'Council',
  'lang.switch': 'Language',
  'role.admin': 'Secretariat (Home Affairs)',
  'role.chair': 'Council chair',
  'role.appraiser': 'Appraiser',
  'role.officer': 'Reform officer',
  'role.head': 'Head of unit',
  'role.contributor': 'Contributor',
  'state.draft': 'Draft',
  'state.self-assessment': 'Self-assessment',
  'state.appraisal': 'Appraisal',
  'state.council-review': 'Council review',
  'state.approved': 'Approved',
  'state.published': 'Published',
  'public.title': 'Published administrative reform indexes',
  'public.intro': 'How the administrative units carried out administrative reform: the index, ranking and bands, published for citizens and businesses.',
  'public.none': 'No campaign has been published yet.',
  'public.published': 'Published campaigns',
  'public.staff': 'Officials taking part in the assessment: sign in to self-assess, appraise or administer.',
  'signIn.title': 'Sign in',
  'signIn.username': 'Username',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.failed': 'The username or password is wrong.',
  'signIn.locked': 'This account is locked after repeated failed sign-ins. Try again in {minutes} minutes.',
  'signIn.required.username': 'Enter your username.',
  'signIn.required.password': 'Enter your password.',
  'errors.summary': 'There is a problem',
  'errors.notFound.title': 'Page not found',
  'errors.notFound.body': 'The page does not exist or you may not see it.',
  'errors.forbidden.title': 'Not allowed',
  'errors.forbidden.body': 'You are not allowed to do this.',
  'errors.csrf.title': 'The form has expired',
  'errors.csrf.body': 'The form has expired. Reload the page and try again.',
  'errors.server.title': 'Something went wrong',
  'errors.server.body': 'The system could not handle the request. Nothing was changed. Please try again later.',
  'errors.bad.title': 'Bad request',
  'errors.bad.body': 'The request was not valid.',
  'errors.tooLarge.title': 'File too large',
  'errors.tooLarge.body': 'The file is larger than allowed.',
  'errors.backHome': 'Back to the home page',
  'home.title': 'Hello, {name}',
  'home.areas': 'Your work',
  'home.noRole': 'Your account has no role yet. Contact the Home Affairs office.',
  'unit.title': 'Self-assessment',
  'unit.campaigns': 'Campaigns',
  'unit.none': 'This unit takes part in no campaign yet.',
  'unit.deadline': 'Self-assessment due: {date}',
  'unit.daysLeft': '{days} days left',
  'unit.closed': 'closed',
  'unit.progress': 'Progress: {done} / {total} criteria scored',
  'unit.field': 'Field',
  'unit.max': 'Maximum',
  'unit.selfTotal': 'Self-score',
  'appraisal.title': 'Appraisal',
  'appraisal.agency': 'Appraising agency: {agency}',
  'appraisal.none': 'No campaign is in appraisal.',
  'council.title': 'Appraisal council',
  'admin.title': 'Administration',
  'admin.counts': 'Overview',
  'common.campaign': 'Campaign',
  'common.state': 'Phase',
  'common.year': 'Year',
  'common.units': 'Units',
  'common.users': 'Users',
  'common.criteriaSets': 'Criteria sets',
  'common.campaigns': 'Campaigns',
  'common.open': 'Open',
};

const catalogs: Record<Language, Record<Key, string>> = { vi, en };

export type MessageKey = Key;
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

export function translator(lang: Language): Translate {
  const catalog = catalogs[lang];
  return (key, params) => {
    const text = catalog[key] ?? key;
    return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
  };
}

export const timeZone = 'Asia/Ho_Chi_Minh';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false });

/** dd/mm/yyyy for a calendar date ('2024-12-20') or an instant (shown in Vietnam's time). */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
  }
  return dateFormat.format(value);
}

export function formatDateTime(value: Date | null | undefined): string {
  return value ? `${timeFormat.format(value)} ${dateFormat.format(value)}` : '';
}

/** Today's calendar date in Vietnam, as yyyy-mm-dd. */
export function todayInVietnam(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A decimal string ('96.120') in the reader's style, trailing zeros dropped: '96,12' in Vietnamese, '96.12' in English. */
export function formatScore(value: string | null | undefined, lang: Language): string {
  if (value === null || value === undefined || value === '') return '';
  const [int, frac = ''] = value.split('.');
  const kept = frac.replace(/0+$/, '');
  return kept ? `${int}${lang === 'vi' ? ',' : '.'}${kept}` : int;
}
