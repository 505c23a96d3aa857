/**
 * Demo data in the two-tier shape of 2025 (DOMAIN: "Two-tier local government"): a province, "tỉnh Minh Họa" (a
 * made-up name, so that nobody takes the demo for a real province's figures), whose Sở Nội vụ runs the index itself
 * for its wards and communes and, in a campaign of its own, for its departments. Pure data, no database code;
 * src/features/demo/province-seed.ts turns it into rows.
 *
 * The wards and communes were formed by merging the communes of two former districts, thị xã Đồi Thông and huyện
 * Sông Mây, whose last year's results the province brought in by their component points. In reality the mergers took
 * effect on 1 July 2025; the demo follows the calendar instead (the former units end on 31 December of last year, the
 * new ones exist from 1 January), so that on any date it shows "last year" beside "this year".
 *
 * The commune criteria set is the district demo's (src/features/demo/data.ts) with the district's agencies replaced by
 * the province's departments; the departments' set below is illustrative, modelled on provincial sets for sở, ban,
 * ngành (seed 002 assesses Hà Nam's departments in the same seven fields).
 */
import type { DemoCriteriaSet, DemoCriterion, DemoRole } from './data.ts';
import { demoCriteriaSetFor } from './data.ts';

export const provinceName = 'UBND tỉnh Minh Họa';

export interface FormerDistrict {
  /** Code prefix of its former units, and of its past campaign. */
  prefix: string;
  organizer: string;
  /** Official code of the first former unit; the rest follow in order. */
  firstOfficialCode: number;
}

export const formerDistricts = {
  doiThong: { prefix: 'doi-thong', organizer: 'UBND thị xã Đồi Thông (minh họa)', firstOfficialCode: 80001 },
  songMay: { prefix: 'song-may', organizer: 'UBND huyện Sông Mây (minh họa)', firstOfficialCode: 80101 },
} satisfies Record<string, FormerDistrict>;

export type FormerDistrictKey = keyof typeof formerDistricts;

export interface NewUnit {
  name: string;
  kind: 'phường' | 'xã' | 'đặc khu';
  block: 'Phường' | 'Xã, đặc khu';
  district: FormerDistrictKey;
  /** Names of the former units it was formed from, in the former district; one name: the same commune renamed. */
  from: string[];
}

export const blocks = ['Phường', 'Xã, đặc khu'] as const;

const ward = (name: string, ...from: string[]): NewUnit => ({
  name: `Phường ${name}`,
  kind: 'phường',
  block: 'Phường',
  district: 'doiThong',
  from,
});
const commune = (name: string, ...from: string[]): NewUnit => ({
  name: `Xã ${name}`,
  kind: 'xã',
  block: 'Xã, đặc khu',
  district: 'songMay',
  from,
});

/**
 * The 30 wards and communes, in the order of the province's resolution (wards first). Most were formed from two or
 * three former units; Xã Mường Hoa is Xã Mường Khoa renamed; wards 10–12 took in communes of the former town.
 */
export const newUnits: NewUnit[] = [
  ward('Đồi Thông', 'Phường Đồi Thông', 'Phường Chợ Cũ'),
  ward('Bến Đò', 'Phường Bến Đò', 'Phường Cầu Mới'),
  ward('Đông Hòa', 'Phường Đông Hòa', 'Phường Gò Mít'),
  ward('Hòa Lạc', 'Phường Hòa Lạc', 'Xã Ao Sen'),
  ward('Kim Ngân', 'Phường Kim Ngân', 'Phường Ngọc Lâm'),
  ward('Phú Lợi', 'Phường Phú Lợi', 'Xã Phú Xuân'),
  ward('Quảng Phú', 'Phường Quảng Phú', 'Xã Bãi Sậy'),
  ward('Tân An', 'Phường Tân An', 'Phường Thanh Bình'),
  ward('Vĩnh Yên', 'Phường Vĩnh Yên', 'Xã Đầm Lau'),
  ward('Lũng Hoa', 'Xã Lũng Hoa', 'Xã Mỹ Hưng'),
  ward('Ô Loan', 'Xã Ô Loan', 'Xã Suối Đá'),
  ward('Yên Thái', 'Xã Yên Thái', 'Xã Úc Kỳ'),
  commune('Sông Mây', 'Thị trấn Sông Mây', 'Xã An Bình', 'Xã An Hòa'),
  commune('Bắc Sơn', 'Xã Bắc Sơn', 'Xã Cát Tường'),
  commune('Cẩm Thạch', 'Xã Cẩm Thạch', 'Xã Châu Phong'),
  commune('Đại Đồng', 'Xã Đại Đồng', 'Xã Đắc Lộc', 'Xã Đông Cuông'),
  commune('Gia Hưng', 'Xã Gia Hưng', 'Xã Hà Thanh'),
  commune('Hải Triều', 'Xã Hải Triều', 'Xã Hưng Đạo'),
  commune('Khánh Vân', 'Xã Khánh Vân', 'Xã Lạc Hồng', 'Xã Liên Minh'),
  commune('Long Sơn', 'Xã Long Sơn', 'Xã Minh Châu'),
  commune('Mường Hoa', 'Xã Mường Khoa'),
  commune('Nghĩa Phương', 'Xã Nghĩa Phương', 'Xã Ngọc Động'),
  commune('Nhân Hòa', 'Xã Nhân Hòa', 'Xã Phong Cốc', 'Xã Phúc Thịnh'),
  commune('Quế Lâm', 'Xã Quế Lâm', 'Xã Quỳnh Hoa'),
  commune('Sơn Thủy', 'Xã Sơn Thủy', 'Xã Tam Hợp'),
  commune('Tân Lập', 'Xã Tân Lập', 'Xã Thạch Bàn', 'Xã Thái Học'),
  commune('Thượng Lâm', 'Xã Thượng Lâm', 'Xã Tiên Phong'),
  commune('Trung Hà', 'Xã Trung Hà', 'Xã Tường Vân'),
  commune('Yên Hồ', 'Xã Yên Hồ', 'Xã Vạn Phúc'),
  {
    name: 'Đặc khu Hòn Mây',
    kind: 'đặc khu',
    block: 'Xã, đặc khu',
    district: 'songMay',
    from: ['Xã Đảo Ngọc', 'Xã Hòn Mây'],
  },
];

/** The official administrative codes of the new units: five digits, 90001 on, never a real commune's code. */
export const firstNewOfficialCode = 90001;

/** The kind of a former unit, read from its name. */
export function formerKind(name: string): 'phường' | 'xã' | 'thị trấn' {
  if (name.startsWith('Phường ')) return 'phường';
  if (name.startsWith('Thị trấn ')) return 'thị trấn';
  return 'xã';
}

export interface Department {
  code: string;
  name: string;
  kind: 'sở' | 'ban' | 'ngành';
}

/** The departments assessed in their own campaign (Hải Phòng ranked 14 in 2025). */
export const departments: Department[] = [
  { code: 'so-noi-vu', name: 'Sở Nội vụ', kind: 'sở' },
  { code: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'sở' },
  { code: 'so-tai-chinh', name: 'Sở Tài chính', kind: 'sở' },
  { code: 'so-khoa-hoc-cong-nghe', name: 'Sở Khoa học và Công nghệ', kind: 'sở' },
  { code: 'so-xay-dung', name: 'Sở Xây dựng', kind: 'sở' },
  { code: 'so-van-hoa', name: 'Sở Văn hóa, Thể thao và Du lịch', kind: 'sở' },
  { code: 'so-y-te', name: 'Sở Y tế', kind: 'sở' },
  { code: 'so-giao-duc', name: 'Sở Giáo dục và Đào tạo', kind: 'sở' },
  { code: 'so-nong-nghiep', name: 'Sở Nông nghiệp và Môi trường', kind: 'sở' },
  { code: 'so-cong-thuong', name: 'Sở Công Thương', kind: 'sở' },
  { code: 'so-dan-toc', name: 'Sở Dân tộc và Tôn giáo', kind: 'sở' },
  { code: 'van-phong-ubnd', name: 'Văn phòng UBND tỉnh', kind: 'ngành' },
  { code: 'thanh-tra-tinh', name: 'Thanh tra tỉnh', kind: 'ngành' },
  { code: 'ban-quan-ly-kcn', name: 'Ban Quản lý các khu công nghiệp', kind: 'ban' },
];

/** The departments that appraise (the council's agencies), by code; the same codes as their units. */
export const appraisingDepartments = [
  'so-noi-vu',
  'so-tu-phap',
  'so-tai-chinh',
  'so-khoa-hoc-cong-nghe',
  'so-xay-dung',
  'so-van-hoa',
  'van-phong-ubnd',
] as const;

/** The district demo's agencies → the province's departments; field 7 (e-government) goes to Khoa học và Công nghệ. */
function provincialAgency(criterion: DemoCriterion): string | undefined {
  if (criterion.agencyCode === 'van-hoa-thong-tin')
    return criterion.code === '7' ? 'so-khoa-hoc-cong-nghe' : 'so-van-hoa';
  const map: Record<string, string> = {
    'noi-vu': 'so-noi-vu',
    'tu-phap': 'so-tu-phap',
    'tai-chinh-ke-hoach': 'so-tai-chinh',
    'kinh-te-ha-tang': 'so-xay-dung',
    'van-phong': 'van-phong-ubnd',
  };
  return criterion.agencyCode === undefined ? undefined : map[criterion.agencyCode];
}

/** The district's words in the commune set, said of the province. */
function provincialText(text: string): string {
  return text.replace(/Văn phòng HĐND-UBND huyện/g, 'Văn phòng UBND tỉnh').replace(/huyện/g, 'tỉnh');
}

/** The commune criteria set of `year`: the district demo's, appraised by the province's departments. */
export function communeCriteriaSetFor(year: number): DemoCriteriaSet {
  const base = demoCriteriaSetFor(year);
  return {
    name: `Bộ tiêu chí xác định Chỉ số CCHC đối với UBND các xã, phường, đặc khu năm ${year}`,
    year,
    decision: `Quyết định số 215/QĐ-UBND ngày 15/10/${year} của ${provinceName}`,
    criteria: base.criteria.map((c) => {
      const agencyCode = provincialAgency(c);
      const { agencyCode: _district, ...rest } = c;
      return {
        ...rest,
        title: provincialText(c.title),
        ...(c.guidance === undefined ? {} : { guidance: provincialText(c.guidance) }),
        ...(agencyCode === undefined ? {} : { agencyCode }),
      };
    }),
  };
}

const levels = (text: string) => `levels: ${text}`;

/** The departments' set: seven fields, 24 leaves, 70 points (the survey of organisations gives the other 30). */
const departmentCriteria: DemoCriterion[] = [
  { code: '1', title: 'Công tác chỉ đạo, điều hành cải cách hành chính', maxScore: '10', agencyCode: 'so-noi-vu' },
  {
    code: '1.1',
    title: 'Ban hành kế hoạch CCHC năm của cơ quan',
    maxScore: '2',
    evidenceRequired: true,
    guidance: 'Ban hành trước ngày 31/01: 2 điểm; ban hành chậm: 1 điểm; không ban hành: 0.',
    scoring: levels('Đúng hạn=2; Chậm=1; Không ban hành=0'),
  },
  {
    code: '1.2',
    title: 'Mức độ hoàn thành kế hoạch CCHC năm',
    maxScore: '3',
    evidenceRequired: true,
    guidance: 'Hoàn thành 100% nhiệm vụ: 3 điểm; từ 80% đến dưới 100%: 2 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=3; 80=2; 0=0',
  },
  {
    code: '1.3',
    title: 'Báo cáo CCHC định kỳ đầy đủ, đúng hạn',
    maxScore: '1.5',
    evidenceRequired: true,
    scoring: levels('Đầy đủ đúng hạn=1.5; Thiếu hoặc chậm=0'),
  },
  {
    code: '1.4',
    title: 'Kiểm tra công tác CCHC đối với các đơn vị trực thuộc',
    maxScore: '1.5',
    evidenceRequired: true,
    guidance: 'Kiểm tra từ 30% số đơn vị trực thuộc trở lên: 1,5 điểm; dưới 30%: 0,5 điểm; không kiểm tra: 0.',
    scoring: 'ratio: 30=1.5; 1=0.5; 0=0',
  },
  {
    code: '1.5',
    title: 'Tuyên truyền CCHC và sáng kiến, cách làm mới',
    maxScore: '2',
    evidenceRequired: true,
    scoring: levels('Có sáng kiến được công nhận=2; Có tuyên truyền=1; Không=0'),
  },
  {
    code: '2',
    title: 'Xây dựng và tổ chức thi hành văn bản quy phạm pháp luật',
    maxScore: '8',
    agencyCode: 'so-tu-phap',
  },
  {
    code: '2.1',
    title: 'Tham mưu ban hành văn bản QPPL đúng chương trình',
    maxScore: '3',
    evidenceRequired: true,
    scoring: 'ratio: 100=3; 70=1.5; 0=0',
  },
  {
    code: '2.2',
    title: 'Rà soát, hệ thống hóa văn bản QPPL thuộc lĩnh vực quản lý',
    maxScore: '2.5',
    evidenceRequired: true,
    scoring: levels('Đầy đủ=2.5; Chưa đầy đủ=1; Không thực hiện=0'),
  },
  {
    code: '2.3',
    title: 'Theo dõi thi hành pháp luật trong lĩnh vực quản lý',
    maxScore: '2.5',
    evidenceRequired: true,
    scoring: levels('Có kế hoạch và báo cáo=2.5; Chỉ có kế hoạch=1; Không=0'),
  },
  { code: '3', title: 'Cải cách thủ tục hành chính', maxScore: '14', agencyCode: 'van-phong-ubnd' },
  {
    code: '3.1',
    title: 'Trình công bố danh mục TTHC đúng thời hạn',
    maxScore: '3',
    evidenceRequired: true,
    scoring: 'ratio: 100=3; 80=1.5; 0=0',
  },
  {
    code: '3.2',
    title: 'Tỷ lệ hồ sơ TTHC giải quyết đúng hạn',
    maxScore: '5',
    guidance: 'Văn phòng UBND tỉnh chấm theo số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh tại ngày 30/11.',
    kind: 'appraiser',
    scoring: 'ratio: 100=5; 95=3; 0=0',
  },
  {
    code: '3.3',
    title: 'Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Xử lý đúng hạn tất cả=3; Có phản ánh trễ hạn=1; Không xử lý=0'),
  },
  {
    code: '3.4',
    title: 'Gửi thư xin lỗi người dân, tổ chức khi giải quyết hồ sơ trễ hạn',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Đầy đủ hoặc không có hồ sơ trễ=3; Không đầy đủ=0'),
  },
  { code: '4', title: 'Cải cách tổ chức bộ máy hành chính', maxScore: '8', agencyCode: 'so-noi-vu' },
  {
    code: '4.1',
    title: 'Quy định chức năng, nhiệm vụ của các phòng và đơn vị trực thuộc',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Đầy đủ đúng quy định=3; Chưa đầy đủ=1; Không=0'),
  },
  {
    code: '4.2',
    title: 'Sắp xếp, tinh gọn đầu mối theo kế hoạch của tỉnh',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Hoàn thành=3; Hoàn thành một phần=1.5; Chưa thực hiện=0'),
  },
  {
    code: '4.3',
    title: 'Sử dụng biên chế được giao',
    maxScore: '2',
    evidenceRequired: true,
    scoring: levels('Đúng số giao=2; Vượt số giao=0'),
  },
  { code: '5', title: 'Cải cách chế độ công vụ', maxScore: '9', agencyCode: 'so-noi-vu' },
  {
    code: '5.1',
    title: 'Xác định và thực hiện vị trí việc làm',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Đúng vị trí việc làm=3; Còn bố trí chưa đúng=1; Không=0'),
  },
  {
    code: '5.2',
    title: 'Chấp hành kỷ luật, kỷ cương hành chính',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Không có vi phạm=3; Có vi phạm bị nhắc nhở=1; Có vi phạm bị kỷ luật=0'),
  },
  {
    code: '5.3',
    title: 'Đào tạo, bồi dưỡng công chức, viên chức theo kế hoạch',
    maxScore: '3',
    evidenceRequired: true,
    scoring: 'ratio: 100=3; 80=1.5; 0=0',
  },
  { code: '6', title: 'Cải cách tài chính công', maxScore: '8', agencyCode: 'so-tai-chinh' },
  {
    code: '6.1',
    title: 'Tỷ lệ giải ngân vốn đầu tư công được giao',
    maxScore: '4',
    evidenceRequired: true,
    scoring: 'ratio: 95=4; 80=2; 0=0',
  },
  {
    code: '6.2',
    title: 'Ban hành và thực hiện quy chế chi tiêu nội bộ',
    maxScore: '2',
    evidenceRequired: true,
    scoring: levels('Có=2; Không=0'),
  },
  {
    code: '6.3',
    title: 'Công khai dự toán, quyết toán ngân sách',
    maxScore: '2',
    evidenceRequired: true,
    scoring: levels('Đầy đủ đúng hạn=2; Không đầy đủ=0'),
  },
  { code: '7', title: 'Xây dựng và phát triển chính quyền số', maxScore: '13', agencyCode: 'so-khoa-hoc-cong-nghe' },
  {
    code: '7.1',
    title: 'Tỷ lệ hồ sơ TTHC được xử lý trực tuyến toàn trình',
    maxScore: '4',
    evidenceRequired: true,
    scoring: 'ratio: 80=4; 50=2; 0=0',
  },
  {
    code: '7.2',
    title: 'Tỷ lệ văn bản điện tử được ký số gửi trên môi trường mạng',
    maxScore: '3',
    evidenceRequired: true,
    scoring: 'ratio: 100=3; 90=1.5; 0=0',
  },
  {
    code: '7.3',
    title: 'Số hóa hồ sơ, kết quả giải quyết TTHC',
    maxScore: '3',
    evidenceRequired: true,
    scoring: 'ratio: 100=3; 70=1.5; 0=0',
  },
  {
    code: '7.4',
    title: 'Bảo đảm an toàn thông tin mạng theo cấp độ',
    maxScore: '3',
    evidenceRequired: true,
    scoring: levels('Được phê duyệt cấp độ và triển khai=3; Chưa phê duyệt=0'),
  },
];

export function departmentCriteriaSetFor(year: number): DemoCriteriaSet {
  return {
    name: `Bộ tiêu chí xác định Chỉ số CCHC đối với các sở, ban, ngành năm ${year}`,
    year,
    decision: `Quyết định số 214/QĐ-UBND ngày 15/10/${year} của ${provinceName}`,
    criteria: departmentCriteria,
  };
}

export interface ProvinceUser {
  username: string;
  fullName: string;
  role: DemoRole;
  /** A new ward or commune's name, or a department's code. */
  unit?: string;
  agencyCode?: string;
  /** What the person does, for the sign-ins printed at start. */
  works: string;
}

/** The officer, head and contributor of Xã Sông Mây; a ward's officer; a department's officer. */
export const provinceUsers: ProvinceUser[] = [
  { username: 'admin', fullName: 'Trần Thị Thu Hương', role: 'admin', works: 'Sở Nội vụ (thường trực)' },
  { username: 'chutich', fullName: 'Phạm Văn Khải', role: 'chair', works: 'Chủ tịch Hội đồng' },
  {
    username: 'thamdinh',
    fullName: 'Nguyễn Thị Lan Anh',
    role: 'appraiser',
    agencyCode: 'so-noi-vu',
    works: 'Sở Nội vụ',
  },
  {
    username: 'thamdinh-tuphap',
    fullName: 'Vũ Đức Thắng',
    role: 'appraiser',
    agencyCode: 'so-tu-phap',
    works: 'Sở Tư pháp',
  },
  {
    username: 'thamdinh-taichinh',
    fullName: 'Đặng Thị Thu Hà',
    role: 'appraiser',
    agencyCode: 'so-tai-chinh',
    works: 'Sở Tài chính',
  },
  {
    username: 'thamdinh-khcn',
    fullName: 'Ngô Minh Tâm',
    role: 'appraiser',
    agencyCode: 'so-khoa-hoc-cong-nghe',
    works: 'Sở Khoa học và Công nghệ',
  },
  {
    username: 'thamdinh-xaydung',
    fullName: 'Lương Văn Hòa',
    role: 'appraiser',
    agencyCode: 'so-xay-dung',
    works: 'Sở Xây dựng',
  },
  {
    username: 'thamdinh-vanhoa',
    fullName: 'Đinh Thị Hồng Nhung',
    role: 'appraiser',
    agencyCode: 'so-van-hoa',
    works: 'Sở Văn hóa, Thể thao và Du lịch',
  },
  {
    username: 'thamdinh-vanphong',
    fullName: 'Trịnh Thị Mai',
    role: 'appraiser',
    agencyCode: 'van-phong-ubnd',
    works: 'Văn phòng UBND tỉnh',
  },
  { username: 'canbo', fullName: 'Đỗ Thị Minh Ngọc', role: 'officer', unit: 'Xã Sông Mây', works: 'Xã Sông Mây' },
  { username: 'chutichxa', fullName: 'Hoàng Văn Tuấn', role: 'head', unit: 'Xã Sông Mây', works: 'Xã Sông Mây' },
  { username: 'congtac', fullName: 'Lê Thị Ơn', role: 'contributor', unit: 'Xã Sông Mây', works: 'Xã Sông Mây' },
  {
    username: 'canbo2',
    fullName: 'Bùi Quang Đức',
    role: 'officer',
    unit: 'Phường Đồi Thông',
    works: 'Phường Đồi Thông',
  },
  { username: 'canbo-so', fullName: 'Cao Thị Phương', role: 'officer', unit: 'so-tu-phap', works: 'Sở Tư pháp' },
];
