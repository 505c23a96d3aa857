/**
 * Demo data: Trực Ninh district (Nam Định) assessing its communes and towns for the 2024 Chỉ số CCHC.
 * Pure data, no database code; a seeder turns it into rows.
 *
 * Sources: four public documents of real authorities, cited here and elsewhere in the code by number: seed 000,
 * Trực Ninh district's 2024 plan for assessing its communes and towns; seed 001, Mỹ Đức district's 2020 plan for its
 * communes and towns; seed 002, Hà Nam province's 2023 plan for its departments and districts; seed 003, Bộc Nhiêu
 * commune's 2024 letter assigning the self-assessment work. The phases and dates follow seed 000; the assessed units are
 * the district's 21 real communes and towns; the appraising agencies and the field → agency assignment follow
 * seeds 000 and 002; the eight fields and the criterion codes follow seed 003 (Bộc Nhiêu's appendix names 1.5.1,
 * 3.2.6, 4.3.6, 8.4.1.1 …). The titles, maxima and guidance are illustrative, modelled on commune-level criteria
 * sets, not a copy of Trực Ninh's Quyết định số 4002/QĐ-UBND.
 *
 * Composition: appraisal 70 + survey 30 (as seed 001). The criteria below are all self- or appraiser-kind and
 * their leaves total exactly 70 (`demoCriteriaMaxScore`); the survey component (30) comes from the satisfaction
 * tallies, so the set holds no survey-kind criterion.
 */

export interface DemoDistrict {
  code: string;
  name: string;
  kind: 'huyện';
}

export interface DemoUnit {
  /** The name's slug (`slugOf`: no diacritics); where two names fold alike (Trực Hưng / Trực Hùng) the later gets `-2`. */
  code: string;
  name: string;
  kind: 'xã' | 'thị trấn';
}

export interface DemoAgency {
  code: string;
  name: string;
}

export interface DemoCriterion {
  /** Dotted: 1, 1.1, 3.2.6, 8.4.1.1; the parent of 3.2.6 is 3.2. */
  code: string;
  title: string;
  /** Decimal string with at most two decimals; on a parent, the sum of its children. */
  maxScore: string;
  /** Negative only on deduction criteria (whose maxScore is '0'); 0 when absent. */
  minScore?: string;
  /** 'self' when absent. */
  kind?: 'self' | 'survey' | 'appraiser';
  /** Set on every field; inherited by descendants unless they name another. */
  agencyCode?: string;
  evidenceRequired?: boolean;
  guidance?: string;
  /** docs/workbook.md syntax: `levels: Có=1; Không=0`, `ratio: 100=1; 90=0.5; 0=0` or `proportional`. */
  scoring?: string;
}

export interface DemoCriteriaSet {
  name: string;
  year: number;
  decision: string;
  criteria: DemoCriterion[];
}

export type DemoRole = 'admin' | 'chair' | 'appraiser' | 'officer' | 'head' | 'contributor';

export interface DemoUser {
  username: string;
  fullName: string;
  role: DemoRole;
  unitCode?: string;
  agencyCode?: string;
}

/** ISO dates (yyyy-mm-dd), named as the workbook's `campaign` sheet keys. */
export interface DemoPhaseDates {
  selfAssessmentOpens: string;
  selfAssessmentCloses: string;
  appraisalOpens: string;
  appraisalCloses: string;
  publishBy: string;
}

export interface DemoCampaign extends DemoPhaseDates {
  code: string;
  name: string;
  year: number;
  organizer: string;
  decision: string;
  composition: string;
  bands: string;
  precision: 2 | 3;
  rounding: 'half-up' | 'down';
}

export const demoDistrict: DemoDistrict = { code: 'truc-ninh', name: 'UBND huyện Trực Ninh', kind: 'huyện' };

/**
 * The 3 towns and 18 communes of Trực Ninh (2024), listed as the district lists them (towns first, seat first), not
 * alphabetically, so that sorting is visible: Cát Thành/Cổ Lễ, Trực Đại/Trực Đạo after Trực Cường, Trực Hùng before
 * Trực Hưng, Trung Đông before Trực … (u before ư).
 */
export const demoUnits: DemoUnit[] = [
  { code: 'thi-tran-co-le', name: 'Thị trấn Cổ Lễ', kind: 'thị trấn' },
  { code: 'thi-tran-cat-thanh', name: 'Thị trấn Cát Thành', kind: 'thị trấn' },
  { code: 'thi-tran-ninh-cuong', name: 'Thị trấn Ninh Cường', kind: 'thị trấn' },
  { code: 'xa-truc-thanh', name: 'Xã Trực Thanh', kind: 'xã' },
  { code: 'xa-truc-dao', name: 'Xã Trực Đạo', kind: 'xã' },
  { code: 'xa-truc-tuan', name: 'Xã Trực Tuấn', kind: 'xã' },
  { code: 'xa-truc-chinh', name: 'Xã Trực Chính', kind: 'xã' },
  { code: 'xa-phuong-dinh', name: 'Xã Phương Định', kind: 'xã' },
  { code: 'xa-trung-dong', name: 'Xã Trung Đông', kind: 'xã' },
  { code: 'xa-liem-hai', name: 'Xã Liêm Hải', kind: 'xã' },
  { code: 'xa-viet-hung', name: 'Xã Việt Hùng', kind: 'xã' },
  { code: 'xa-truc-noi', name: 'Xã Trực Nội', kind: 'xã' },
  { code: 'xa-truc-hung', name: 'Xã Trực Hưng', kind: 'xã' },
  { code: 'xa-truc-khang', name: 'Xã Trực Khang', kind: 'xã' },
  { code: 'xa-truc-my', name: 'Xã Trực Mỹ', kind: 'xã' },
  { code: 'xa-truc-thuan', name: 'Xã Trực Thuận', kind: 'xã' },
  { code: 'xa-truc-dai', name: 'Xã Trực Đại', kind: 'xã' },
  { code: 'xa-truc-cuong', name: 'Xã Trực Cường', kind: 'xã' },
  { code: 'xa-truc-hung-2', name: 'Xã Trực Hùng', kind: 'xã' },
  { code: 'xa-truc-thai', name: 'Xã Trực Thái', kind: 'xã' },
  { code: 'xa-truc-thang', name: 'Xã Trực Thắng', kind: 'xã' },
];

/** The members of the appraisal council named in seed 000. */
export const demoAgencies: DemoAgency[] = [
  { code: 'noi-vu', name: 'Phòng Nội vụ' },
  { code: 'tu-phap', name: 'Phòng Tư pháp' },
  { code: 'tai-chinh-ke-hoach', name: 'Phòng Tài chính – Kế hoạch' },
  { code: 'van-hoa-thong-tin', name: 'Phòng Văn hóa và Thông tin' },
  { code: 'kinh-te-ha-tang', name: 'Phòng Kinh tế và Hạ tầng' },
  { code: 'van-phong', name: 'Văn phòng HĐND-UBND' },
];

/** Sum of the leaves' maxima: the appraisal component of `appraisal:70,survey:30`. */
export const demoCriteriaMaxScore = '70';

/*
 * Fields → agencies, as seed 002 assigns them one level up: Nội vụ appraises leadership (1), the organisation of
 * local government (4) and the civil service (5); Tư pháp the law (2); the Văn phòng administrative procedures and
 * one-stop shops (3) and the tasks set by the People's Committee (1.8); Tài chính public finance (6); the agency for
 * information (at district level Văn hóa và Thông tin) e-government (7). Seed 002 has no socio-economic field;
 * field 8 goes to Kinh tế và Hạ tầng, with its economy, culture-society and defence parts appraised by the
 * agencies that follow them. Hộ tịch and chứng thực in field 3 go to Tư pháp.
 */
const criteria: DemoCriterion[] = [
  // 1 — 9 points
  { code: '1', title: 'Công tác lãnh đạo, chỉ đạo', maxScore: '9', agencyCode: 'noi-vu' },
  { code: '1.1', title: 'Kế hoạch cải cách hành chính năm', maxScore: '1.5' },
  {
    code: '1.1.1',
    title: 'Ban hành kế hoạch CCHC năm của UBND xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Ban hành trước ngày 31/01/2024: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0. Kiểm chứng: kế hoạch đã ký số.',
    scoring: 'levels: Ban hành đúng hạn=0.5; Ban hành chậm=0.25; Không ban hành=0',
  },
  {
    code: '1.1.2',
    title: 'Mức độ hoàn thành kế hoạch CCHC năm',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số nhiệm vụ đã hoàn thành và tổng số nhiệm vụ trong kế hoạch. Hoàn thành 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=1; 80=0.5; 0=0',
  },
  {
    code: '1.2',
    title: 'Thực hiện chế độ báo cáo CCHC định kỳ (quý, 6 tháng, năm)',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Đầy đủ, đúng hạn: 1 điểm; đầy đủ nhưng có báo cáo chậm: 0,5 điểm; không đầy đủ: 0.',
    scoring: 'levels: Đầy đủ và đúng hạn=1; Đầy đủ nhưng chậm=0.5; Không đầy đủ=0',
  },
  {
    code: '1.3',
    title: 'Tự kiểm tra công tác CCHC đối với các bộ phận, công chức thuộc UBND xã',
    maxScore: '1.5',
    evidenceRequired: true,
    guidance:
      'Có kế hoạch và kiểm tra đủ các bộ phận theo kế hoạch, có báo cáo kết quả: 1,5 điểm; có kế hoạch nhưng kiểm tra chưa đủ: 0,75 điểm; không có kế hoạch: 0.',
  },
  {
    code: '1.4',
    title: 'HĐND xã giám sát, chất vấn về công tác CCHC',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có nội dung giám sát hoặc chất vấn về CCHC tại kỳ họp HĐND trong năm: 0,5 điểm; không có: 0.',
  },
  { code: '1.5', title: 'Công tác tuyên truyền cải cách hành chính', maxScore: '1.5' },
  {
    code: '1.5.1',
    title: 'Ban hành kế hoạch tuyên truyền CCHC',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có kế hoạch và ban hành đúng hạn: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0.',
    scoring: 'levels: Ban hành đúng hạn=0.5; Ban hành chậm=0.25; Không ban hành=0',
  },
  {
    code: '1.5.2',
    title: 'Mức độ thực hiện kế hoạch tuyên truyền CCHC',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Thực hiện đủ các nội dung, đa dạng hình thức (đài truyền thanh, trang thông tin điện tử, hội nghị, pano): 1 điểm; thực hiện chưa đủ: 0,5 điểm; không thực hiện: 0. Giải trình nêu rõ số buổi phát thanh, số tin bài.',
  },
  { code: '1.6', title: 'Sáng kiến, giải pháp mới trong công tác CCHC', maxScore: '1' },
  {
    code: '1.6.1',
    title: 'Có sáng kiến hoặc giải pháp mới trong CCHC được cấp có thẩm quyền công nhận',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có quyết định công nhận sáng kiến, giải pháp của cấp huyện trở lên: 0,5 điểm; không có: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  {
    code: '1.6.2',
    title: 'Áp dụng, nhân rộng mô hình CCHC hiệu quả',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có áp dụng mô hình, cách làm hay về CCHC và báo cáo kết quả: 0,5 điểm; không có: 0.',
  },
  {
    code: '1.7',
    title: 'Đảng ủy xã ban hành nghị quyết, văn bản lãnh đạo công tác CCHC',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Có nghị quyết chuyên đề hoặc nội dung lãnh đạo CCHC trong nghị quyết của Đảng ủy: 1 điểm; không có: 0.',
    scoring: 'levels: Có=1; Không=0',
  },
  {
    code: '1.8',
    title: 'Thực hiện nhiệm vụ UBND huyện, Chủ tịch UBND huyện giao',
    maxScore: '1',
    kind: 'appraiser',
    agencyCode: 'van-phong',
    evidenceRequired: false,
    guidance:
      'Văn phòng HĐND-UBND huyện chấm theo số liệu theo dõi trên Hệ thống quản lý văn bản: 100% nhiệm vụ hoàn thành đúng hạn: 1 điểm; từ 90% đến dưới 100%: 0,5 điểm; dưới 90%: 0.',
  },
  {
    code: '1.9',
    title: 'Bị UBND huyện phê bình, nhắc nhở về công tác CCHC (điểm trừ)',
    maxScore: '0',
    minScore: '-1',
    kind: 'appraiser',
    evidenceRequired: false,
    guidance:
      'Trừ 0,5 điểm cho mỗi lần bị UBND huyện phê bình, nhắc nhở bằng văn bản về việc chậm, không thực hiện nhiệm vụ CCHC; trừ tối đa 1 điểm.',
  },

  // 2 — 6 points
  { code: '2', title: 'Xây dựng và tổ chức thực thi pháp luật', maxScore: '6', agencyCode: 'tu-phap' },
  { code: '2.1', title: 'Ban hành văn bản quy phạm pháp luật thuộc thẩm quyền', maxScore: '1.5' },
  {
    code: '2.1.1',
    title: 'Văn bản QPPL ban hành đúng thẩm quyền, trình tự, thủ tục',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Không có văn bản bị cơ quan có thẩm quyền kiến nghị xử lý: 1 điểm; có văn bản bị kiến nghị xử lý: 0. Xã không ban hành văn bản QPPL trong năm đề nghị "Không áp dụng".',
    scoring: 'levels: Không có văn bản bị kiến nghị=1; Có văn bản bị kiến nghị=0',
  },
  {
    code: '2.1.2',
    title: 'Tự kiểm tra, rà soát, hệ thống hóa văn bản QPPL',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có kết quả tự kiểm tra, rà soát và công bố danh mục văn bản hết hiệu lực: 0,5 điểm; không thực hiện: 0.',
  },
  { code: '2.2', title: 'Phổ biến, giáo dục pháp luật', maxScore: '1.5' },
  {
    code: '2.2.1',
    title: 'Ban hành kế hoạch phổ biến, giáo dục pháp luật năm',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có kế hoạch và ban hành đúng hạn: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0.',
    scoring: 'levels: Ban hành đúng hạn=0.5; Ban hành chậm=0.25; Không ban hành=0',
  },
  {
    code: '2.2.2',
    title: 'Tỷ lệ nhiệm vụ trong kế hoạch phổ biến, giáo dục pháp luật được hoàn thành',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Kê khai số nhiệm vụ hoàn thành và tổng số nhiệm vụ; điểm = tỷ lệ hoàn thành × 1.',
    scoring: 'proportional',
  },
  {
    code: '2.3',
    title: 'Xã đạt chuẩn tiếp cận pháp luật',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Được công nhận đạt chuẩn tiếp cận pháp luật năm 2024: 1 điểm; không đạt: 0.',
    scoring: 'levels: Đạt chuẩn=1; Không đạt=0',
  },
  {
    code: '2.4',
    title: 'Tỷ lệ vụ việc hòa giải ở cơ sở hòa giải thành',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số vụ việc hòa giải thành và tổng số vụ việc đã tiếp nhận. Từ 80% trở lên: 1 điểm; từ 60% đến dưới 80%: 0,5 điểm; dưới 60%: 0.',
    scoring: 'ratio: 80=1; 60=0.5; 0=0',
  },
  {
    code: '2.5',
    title: 'Theo dõi tình hình thi hành pháp luật trên địa bàn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Có kế hoạch và báo cáo kết quả theo dõi thi hành pháp luật: 0,5 điểm; thiếu một trong hai: 0,25 điểm; không có: 0.',
  },
  {
    code: '2.6',
    title: 'Công tác quản lý xử lý vi phạm hành chính',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Quyết định xử phạt đúng thẩm quyền, báo cáo đúng hạn: 0,5 điểm; có sai sót được phát hiện: 0.',
  },

  // 3 — 14 points
  { code: '3', title: 'Cải cách thủ tục hành chính', maxScore: '14', agencyCode: 'van-phong' },
  { code: '3.1', title: 'Kiểm soát và công khai thủ tục hành chính', maxScore: '1.5' },
  {
    code: '3.1.1',
    title: 'Ban hành kế hoạch rà soát, đánh giá thủ tục hành chính',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có kế hoạch và ban hành đúng hạn: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0.',
    scoring: 'levels: Ban hành đúng hạn=0.5; Ban hành chậm=0.25; Không ban hành=0',
  },
  {
    code: '3.1.2',
    title: 'Công khai đầy đủ, kịp thời thủ tục hành chính tại Bộ phận Một cửa và trên Cổng Dịch vụ công',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Công khai đầy đủ, đúng quy định: 1 điểm; công khai không đầy đủ hoặc không kịp thời: 0. Kiểm chứng: ảnh chụp khu vực niêm yết, đường dẫn trang công khai.',
    scoring: 'levels: Đầy đủ=1; Không đầy đủ=0',
  },
  { code: '3.2', title: 'Thực hiện cơ chế một cửa, một cửa liên thông', maxScore: '10' },
  {
    code: '3.2.1',
    title: 'Bộ phận Một cửa được bố trí đúng quy định về diện tích, trang thiết bị',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Đúng quy định: 0,5 điểm; chưa đúng: 0.',
    scoring: 'levels: Đúng quy định=0.5; Chưa đúng=0',
  },
  {
    code: '3.2.2',
    title: 'Công chức làm việc tại Bộ phận Một cửa được cử đúng quy định',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có quyết định cử công chức làm việc tại Bộ phận Một cửa đúng quy định: 0,5 điểm; không có: 0.',
  },
  {
    code: '3.2.3',
    title: 'Niêm yết công khai địa chỉ tiếp nhận phản ánh, kiến nghị về quy định hành chính',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có niêm yết đúng quy định: 0,5 điểm; không có: 0.',
  },
  {
    code: '3.2.4',
    title: 'Tỷ lệ hồ sơ thủ tục hành chính được số hóa khi tiếp nhận',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ được số hóa và tổng số hồ sơ tiếp nhận (số liệu trên Hệ thống thông tin giải quyết TTHC của tỉnh). 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=1; 80=0.5; 0=0',
  },
  {
    code: '3.2.5',
    title: 'Thực hiện liên thông thủ tục hành chính giữa cấp xã và cấp huyện',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Thực hiện đầy đủ các thủ tục liên thông theo danh mục: 0,5 điểm; không đầy đủ: 0.',
  },
  {
    code: '3.2.6',
    title: 'Tỷ lệ hồ sơ TTHC giải quyết đúng hạn',
    maxScore: '2',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ giải quyết đúng hạn và tổng số hồ sơ đã giải quyết trong năm. 100%: 2 điểm; từ 98% đến dưới 100%: 1,5 điểm; từ 95% đến dưới 98%: 1 điểm; từ 90% đến dưới 95%: 0,5 điểm; dưới 90%: 0. Giải trình nêu rõ trang, mục của báo cáo thống kê.',
    scoring: 'ratio: 100=2; 98=1.5; 95=1; 90=0.5; 0=0',
  },
  {
    code: '3.2.7',
    title: 'Tỷ lệ hồ sơ TTHC quá hạn có văn bản xin lỗi người dân, tổ chức',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ quá hạn có văn bản xin lỗi và tổng số hồ sơ quá hạn; điểm = tỷ lệ × 0,5. Không có hồ sơ quá hạn: đề nghị "Không áp dụng".',
    scoring: 'proportional',
  },
  {
    code: '3.2.8',
    title: 'Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Kê khai số phản ánh, kiến nghị xử lý đúng hạn và tổng số tiếp nhận. 100%: 0,5 điểm; dưới 100%: 0.',
    scoring: 'ratio: 100=0.5; 0=0',
  },
  {
    code: '3.2.9',
    title: 'Kết quả Bộ chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp',
    maxScore: '1',
    kind: 'appraiser',
    evidenceRequired: false,
    guidance:
      'Văn phòng HĐND-UBND huyện chấm theo điểm của xã trên Hệ thống thông tin giải quyết TTHC tỉnh tại ngày 30/11/2024: từ 90 điểm trở lên: 1 điểm; từ 80 đến dưới 90: 0,5 điểm; dưới 80: 0.',
  },
  {
    code: '3.2.10',
    title: 'Cấp bản sao điện tử từ sổ gốc, chứng thực bản sao điện tử từ bản chính',
    maxScore: '0.5',
    agencyCode: 'tu-phap',
    evidenceRequired: true,
    guidance: 'Có thực hiện và cập nhật trên Hệ thống: 0,5 điểm; không thực hiện: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  {
    code: '3.2.11',
    title: 'Tỷ lệ hồ sơ lĩnh vực đất đai giải quyết đúng hạn',
    maxScore: '1',
    agencyCode: 'kinh-te-ha-tang',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ đất đai giải quyết đúng hạn và tổng số hồ sơ. 100%: 1 điểm; từ 95% đến dưới 100%: 0,5 điểm; dưới 95%: 0.',
    scoring: 'ratio: 100=1; 95=0.5; 0=0',
  },
  {
    code: '3.2.12',
    title: 'Tỷ lệ hồ sơ đăng ký hộ tịch tiếp nhận trực tuyến',
    maxScore: '0.5',
    agencyCode: 'tu-phap',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ hộ tịch nộp trực tuyến và tổng số hồ sơ hộ tịch. Từ 80% trở lên: 0,5 điểm; từ 50% đến dưới 80%: 0,25 điểm; dưới 50%: 0.',
    scoring: 'ratio: 80=0.5; 50=0.25; 0=0',
  },
  {
    code: '3.2.13',
    title: 'Liên thông thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ BHYT cho trẻ dưới 6 tuổi',
    maxScore: '0.5',
    agencyCode: 'tu-phap',
    evidenceRequired: true,
    guidance: 'Thực hiện đầy đủ theo quy trình liên thông: 0,5 điểm; không thực hiện: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  {
    code: '3.2.14',
    title: 'Liên thông thủ tục đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ mai táng phí',
    maxScore: '0.5',
    agencyCode: 'tu-phap',
    evidenceRequired: true,
    guidance: 'Thực hiện đầy đủ theo quy trình liên thông: 0,5 điểm; không thực hiện: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  { code: '3.3', title: 'Dịch vụ công trực tuyến và thanh toán trực tuyến', maxScore: '2.5' },
  {
    code: '3.3.1',
    title: 'Tỷ lệ hồ sơ TTHC có nghĩa vụ tài chính được thanh toán trực tuyến',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ thanh toán trực tuyến và tổng số hồ sơ có phí, lệ phí. Từ 30% trở lên: 1 điểm; từ 20% đến dưới 30%: 0,5 điểm; dưới 20%: 0.',
    scoring: 'ratio: 30=1; 20=0.5; 0=0',
  },
  {
    code: '3.3.2',
    title: 'Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ trực tuyến toàn trình và tổng số hồ sơ của các TTHC cung cấp toàn trình; điểm = tỷ lệ × 1.',
    scoring: 'proportional',
  },
  {
    code: '3.3.3',
    title: 'Cập nhật, đồng bộ đầy đủ hồ sơ lên Hệ thống thông tin giải quyết TTHC của tỉnh',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Kê khai số hồ sơ đã cập nhật và tổng số hồ sơ tiếp nhận. 100%: 0,5 điểm; dưới 100%: 0.',
    scoring: 'ratio: 100=0.5; 0=0',
  },

  // 4 — 8 points
  { code: '4', title: 'Hoạt động của chính quyền cơ sở', maxScore: '8', agencyCode: 'noi-vu' },
  { code: '4.1', title: 'Hoạt động của Hội đồng nhân dân xã', maxScore: '2' },
  {
    code: '4.1.1',
    title: 'Tổ chức các kỳ họp HĐND xã đúng quy định',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Tổ chức đủ ít nhất 02 kỳ họp thường lệ trong năm: 0,5 điểm; không đủ: 0.',
    scoring: 'levels: Đủ kỳ họp=0.5; Không đủ=0',
  },
  {
    code: '4.1.2',
    title: 'Nghị quyết HĐND xã ban hành đúng thẩm quyền, đúng hạn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Đúng thẩm quyền và đúng hạn: 0,5 điểm; có nghị quyết chậm: 0,25 điểm; có nghị quyết sai thẩm quyền: 0.',
    scoring: 'levels: Đúng thẩm quyền và đúng hạn=0.5; Có nghị quyết chậm=0.25; Sai thẩm quyền=0',
  },
  {
    code: '4.1.3',
    title: 'Hoạt động giám sát, chất vấn của HĐND xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có chương trình giám sát và báo cáo kết quả giám sát: 0,5 điểm; không có: 0.',
  },
  {
    code: '4.1.4',
    title: 'Tổ chức tiếp xúc cử tri của đại biểu HĐND xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Tổ chức tiếp xúc cử tri trước và sau mỗi kỳ họp: 0,5 điểm; không đầy đủ: 0.',
  },
  { code: '4.2', title: 'Hoạt động của Ủy ban nhân dân xã', maxScore: '3.5' },
  {
    code: '4.2.1',
    title: 'Ban hành quy chế làm việc của UBND xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có quy chế làm việc phù hợp quy định hiện hành: 0,5 điểm; không có hoặc chưa sửa đổi: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  {
    code: '4.2.2',
    title: 'Phân công nhiệm vụ cho thành viên UBND và công chức cấp xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có quyết định phân công cụ thể, rõ trách nhiệm: 0,5 điểm; không có: 0.',
  },
  {
    code: '4.2.3',
    title: 'Bố trí cán bộ, công chức đúng chức danh, tiêu chuẩn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Bố trí đúng chức danh, tiêu chuẩn theo quy định: 0,5 điểm; có trường hợp chưa đúng: 0.',
  },
  {
    code: '4.2.4',
    title: 'Tỷ lệ đơn thư khiếu nại, tố cáo thuộc thẩm quyền được giải quyết đúng hạn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số đơn giải quyết đúng hạn và tổng số đơn thuộc thẩm quyền. 100%: 0,5 điểm; dưới 100%: 0. Không phát sinh đơn: đề nghị "Không áp dụng".',
    scoring: 'ratio: 100=0.5; 0=0',
  },
  {
    code: '4.2.5',
    title: 'Chủ tịch UBND xã tiếp công dân định kỳ theo quy định',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Tiếp công dân định kỳ đủ theo lịch và có sổ theo dõi: 0,5 điểm; không đủ: 0.',
  },
  {
    code: '4.2.6',
    title: 'Thực hiện quy chế văn hóa công sở',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Thực hiện đúng quy định (trang phục, thẻ, bảng tên, treo Quốc kỳ…): 0,25 điểm; không đúng: 0.',
  },
  {
    code: '4.2.7',
    title: 'Công tác lưu trữ hồ sơ, tài liệu',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Lập hồ sơ và nộp lưu vào lưu trữ cơ quan đúng quy định: 0,25 điểm; không đúng: 0.',
  },
  {
    code: '4.2.8',
    title: 'Công tác văn thư, quản lý văn bản đi, đến',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Thực hiện đúng thể thức và quy trình quản lý văn bản: 0,25 điểm; có sai sót: 0.',
  },
  {
    code: '4.2.9',
    title: 'Thực hiện chế độ thông tin, báo cáo của UBND xã',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance:
      'Gửi đầy đủ, đúng hạn các báo cáo định kỳ qua Hệ thống báo cáo: 0,25 điểm; có báo cáo chậm hoặc thiếu: 0.',
  },
  { code: '4.3', title: 'Thực hiện dân chủ ở cơ sở', maxScore: '2.5' },
  {
    code: '4.3.1',
    title: 'Công khai thông tin theo Luật Thực hiện dân chủ ở cơ sở',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Công khai đầy đủ nội dung, hình thức, thời hạn: 0,5 điểm; không đầy đủ: 0,25 điểm; không công khai: 0.',
    scoring: 'levels: Đầy đủ=0.5; Không đầy đủ=0.25; Không công khai=0',
  },
  {
    code: '4.3.2',
    title: 'Những nội dung Nhân dân bàn và quyết định',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Tổ chức để Nhân dân bàn và quyết định đúng nội dung, trình tự: 0,5 điểm; không đúng: 0.',
  },
  {
    code: '4.3.3',
    title: 'Những nội dung Nhân dân tham gia ý kiến',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Tổ chức lấy ý kiến Nhân dân đúng quy định: 0,25 điểm; không thực hiện: 0.',
  },
  {
    code: '4.3.4',
    title: 'Những nội dung Nhân dân kiểm tra, giám sát',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Tạo điều kiện để Nhân dân kiểm tra, giám sát theo quy định: 0,25 điểm; không thực hiện: 0.',
  },
  {
    code: '4.3.5',
    title: 'Xây dựng, thực hiện hương ước, quy ước của thôn, tổ dân phố',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance:
      'Kê khai số thôn, tổ dân phố có hương ước, quy ước được công nhận và tổng số thôn, tổ dân phố; điểm = tỷ lệ × 0,25.',
    scoring: 'proportional',
  },
  {
    code: '4.3.6',
    title: 'Hoạt động của Ban Thanh tra nhân dân',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Có chương trình công tác và báo cáo kết quả hoạt động: 0,5 điểm; có chương trình nhưng không báo cáo: 0,25 điểm; không có: 0.',
    scoring: 'levels: Có chương trình và báo cáo=0.5; Chỉ có chương trình=0.25; Không có=0',
  },
  {
    code: '4.3.7',
    title: 'Hoạt động của Ban Giám sát đầu tư của cộng đồng',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Có kế hoạch giám sát và báo cáo kết quả: 0,25 điểm; không có: 0.',
    scoring: 'levels: Có=0.25; Không=0',
  },

  // 5 — 7 points
  { code: '5', title: 'Cải cách chế độ công vụ', maxScore: '7', agencyCode: 'noi-vu' },
  {
    code: '5.1',
    title: 'Thực hiện số lượng cán bộ, công chức cấp xã theo quy định',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Không vượt số lượng được giao: 1 điểm; vượt số lượng: 0.',
    scoring: 'levels: Không vượt số lượng=1; Vượt số lượng=0',
  },
  {
    code: '5.2',
    title: 'Tuyển dụng, tiếp nhận công chức cấp xã đúng quy định',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Thực hiện đúng quy định: 1 điểm; có sai phạm: 0. Không tuyển dụng trong năm: đề nghị "Không áp dụng".',
  },
  {
    code: '5.3',
    title: 'Tỷ lệ cán bộ, công chức được đào tạo, bồi dưỡng theo kế hoạch',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số người được cử đi bồi dưỡng và tổng số theo kế hoạch. 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=1; 80=0.5; 0=0',
  },
  {
    code: '5.4',
    title: 'Đánh giá, xếp loại chất lượng cán bộ, công chức đúng quy định',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Đánh giá đúng quy trình, thời hạn, tỷ lệ hoàn thành xuất sắc không vượt quy định: 1 điểm; không đúng: 0.',
  },
  {
    code: '5.5',
    title: 'Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn về trình độ chuyên môn',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Kê khai số cán bộ, công chức đạt chuẩn và tổng số cán bộ, công chức; điểm = tỷ lệ × 1.',
    scoring: 'proportional',
  },
  {
    code: '5.6',
    title: 'Chấp hành kỷ luật, kỷ cương hành chính, đạo đức công vụ',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Không có cán bộ, công chức vi phạm bị phát hiện qua kiểm tra công vụ: 1 điểm; có vi phạm: 0.',
    scoring: 'levels: Không vi phạm=1; Có vi phạm=0',
  },
  {
    code: '5.7',
    title: 'Thực hiện chế độ, chính sách đối với cán bộ, công chức và người hoạt động không chuyên trách',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Thực hiện đầy đủ, kịp thời: 1 điểm; chậm: 0,5 điểm; có sai sót phải khắc phục: 0.',
  },
  {
    code: '5.8',
    title: 'Cán bộ, công chức cấp xã bị xử lý kỷ luật trong năm (điểm trừ)',
    maxScore: '0',
    minScore: '-1',
    evidenceRequired: false,
    guidance:
      'Không có trường hợp bị kỷ luật: 0; có 01 trường hợp: trừ 0,5 điểm; từ 02 trường hợp trở lên: trừ 1 điểm.',
    scoring: 'levels: Không có=0; Một trường hợp=-0.5; Từ hai trường hợp trở lên=-1',
  },

  // 6 — 5 points
  { code: '6', title: 'Cải cách tài chính công', maxScore: '5', agencyCode: 'tai-chinh-ke-hoach' },
  { code: '6.1', title: 'Lập, chấp hành và công khai dự toán ngân sách xã', maxScore: '1.5' },
  {
    code: '6.1.1',
    title: 'Lập, trình và giao dự toán ngân sách xã đúng thời gian',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Đúng thời gian quy định: 0,5 điểm; chậm: 0.',
    scoring: 'levels: Đúng thời gian=0.5; Chậm=0',
  },
  {
    code: '6.1.2',
    title: 'Công khai dự toán, quyết toán ngân sách xã',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Công khai đầy đủ, đúng hạn: 1 điểm; công khai chậm: 0,5 điểm; không công khai: 0.',
    scoring: 'levels: Đầy đủ và đúng hạn=1; Công khai chậm=0.5; Không công khai=0',
  },
  {
    code: '6.2',
    title: 'Tỷ lệ thu ngân sách nhà nước trên địa bàn so với dự toán được giao',
    maxScore: '1.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số thu thực hiện và dự toán giao (triệu đồng). Từ 100% trở lên: 1,5 điểm; từ 95% đến dưới 100%: 1 điểm; từ 90% đến dưới 95%: 0,5 điểm; dưới 90%: 0.',
    scoring: 'ratio: 100=1.5; 95=1; 90=0.5; 0=0',
  },
  {
    code: '6.3',
    title: 'Thực hiện quy chế chi tiêu nội bộ, quản lý, sử dụng tài sản công',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Có quy chế chi tiêu nội bộ, quy chế quản lý tài sản và thực hiện đúng: 1 điểm; có quy chế nhưng thực hiện chưa đúng: 0,5 điểm; không có: 0.',
  },
  {
    code: '6.4',
    title: 'Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Kê khai số vốn đã giải ngân và kế hoạch vốn giao (triệu đồng); điểm = tỷ lệ × 1.',
    scoring: 'proportional',
  },

  // 7 — 11 points
  {
    code: '7',
    title: 'Xây dựng và phát triển chính quyền điện tử, chính quyền số',
    maxScore: '11',
    agencyCode: 'van-hoa-thong-tin',
  },
  {
    code: '7.1',
    title: 'Đảng ủy xã sử dụng hệ thống quản lý văn bản và điều hành',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Sử dụng thường xuyên trong gửi, nhận văn bản: 0,5 điểm; không sử dụng: 0.',
    scoring: 'levels: Có=0.5; Không=0',
  },
  {
    code: '7.2',
    title: 'Ban hành kế hoạch ứng dụng công nghệ thông tin, chuyển đổi số năm',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có kế hoạch và ban hành đúng hạn: 0,5 điểm; ban hành chậm: 0,25 điểm; không ban hành: 0.',
    scoring: 'levels: Ban hành đúng hạn=0.5; Ban hành chậm=0.25; Không ban hành=0',
  },
  {
    code: '7.3',
    title: 'Tỷ lệ văn bản đi được ký số',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số văn bản đi được ký số và tổng số văn bản đi (trừ văn bản mật). 100%: 1 điểm; từ 90% đến dưới 100%: 0,5 điểm; dưới 90%: 0.',
    scoring: 'ratio: 100=1; 90=0.5; 0=0',
  },
  {
    code: '7.4',
    title: 'Tỷ lệ văn bản trao đổi giữa các cơ quan hành chính dưới dạng điện tử',
    maxScore: '1',
    evidenceRequired: true,
    guidance: 'Kê khai số văn bản gửi, nhận dưới dạng điện tử và tổng số văn bản; điểm = tỷ lệ × 1.',
    scoring: 'proportional',
  },
  {
    code: '7.5',
    title: 'Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ công việc xử lý trên môi trường mạng và tổng số hồ sơ. Từ 90% trở lên: 1 điểm; từ 70% đến dưới 90%: 0,5 điểm; dưới 70%: 0.',
    scoring: 'ratio: 90=1; 70=0.5; 0=0',
  },
  {
    code: '7.6',
    title: 'Sử dụng hệ thống thư điện tử công vụ',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: '100% cán bộ, công chức có và sử dụng thư điện tử công vụ: 0,5 điểm; dưới 100%: 0.',
  },
  {
    code: '7.7',
    title: 'Trang thông tin điện tử của xã cung cấp đầy đủ thông tin theo quy định',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Cập nhật đầy đủ, thường xuyên: 0,5 điểm; chưa đầy đủ: 0,25 điểm; không cập nhật: 0.',
    scoring: 'levels: Đầy đủ=0.5; Chưa đầy đủ=0.25; Không cập nhật=0',
  },
  {
    code: '7.8',
    title: 'Tỷ lệ cán bộ, công chức được cấp và sử dụng chữ ký số cá nhân',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Kê khai số cán bộ, công chức sử dụng chữ ký số và tổng số cán bộ, công chức; điểm = tỷ lệ × 0,5.',
    scoring: 'proportional',
  },
  {
    code: '7.9',
    title: 'Hoạt động của Tổ công nghệ số cộng đồng',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Có quyết định thành lập và báo cáo hoạt động: 0,5 điểm; có thành lập nhưng không hoạt động: 0,25 điểm; chưa thành lập: 0.',
    scoring: 'levels: Thành lập và hoạt động=0.5; Thành lập nhưng không hoạt động=0.25; Chưa thành lập=0',
  },
  {
    code: '7.10',
    title: 'Triển khai Đề án 06 về phát triển ứng dụng dữ liệu dân cư, định danh và xác thực điện tử',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Hoàn thành các nhiệm vụ của cấp xã theo kế hoạch của huyện: 1 điểm; hoàn thành một phần: 0,5 điểm; không thực hiện: 0.',
  },
  {
    code: '7.11',
    title: 'Tỷ lệ hồ sơ TTHC được nộp trực tuyến',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số hồ sơ nộp trực tuyến và tổng số hồ sơ tiếp nhận. Từ 50% trở lên: 1 điểm; từ 30% đến dưới 50%: 0,5 điểm; dưới 30%: 0.',
    scoring: 'ratio: 50=1; 30=0.5; 0=0',
  },
  {
    code: '7.12',
    title: 'Tổ chức, tham dự hội nghị trực tuyến',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có điểm cầu hội nghị trực tuyến hoạt động ổn định, tham dự đầy đủ: 0,5 điểm; không có: 0.',
  },
  {
    code: '7.13',
    title: 'Bảo đảm an toàn thông tin mạng',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Cài đặt phần mềm phòng chống mã độc trên 100% máy tính, không để xảy ra sự cố mất an toàn thông tin: 0,5 điểm; không đạt: 0.',
    scoring: 'levels: Đạt=0.5; Không đạt=0',
  },
  {
    code: '7.14',
    title: 'Đài truyền thanh cơ sở ứng dụng công nghệ thông tin - viễn thông',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Đài truyền thanh ứng dụng CNTT - viễn thông hoạt động thường xuyên: 0,5 điểm; không có: 0.',
  },
  {
    code: '7.15',
    title: 'Tuyên truyền về chuyển đổi số trên địa bàn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Có tin, bài tuyên truyền về chuyển đổi số hằng tháng: 0,5 điểm; không thường xuyên: 0,25 điểm; không có: 0.',
  },
  {
    code: '7.16',
    title: 'Phổ cập kỹ năng số, hướng dẫn người dân sử dụng dịch vụ công trực tuyến',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Có tổ chức lớp, buổi hướng dẫn và báo cáo số người được hướng dẫn: 0,5 điểm; không có: 0.',
  },
  {
    code: '7.17',
    title: 'Cập nhật dữ liệu vào các cơ sở dữ liệu chuyên ngành (hộ tịch, đất đai, bảo trợ xã hội)',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Cập nhật đầy đủ, kịp thời: 0,5 điểm; chưa đầy đủ: 0.',
  },

  // 8 — 10 points
  { code: '8', title: 'Thực hiện phát triển kinh tế - xã hội', maxScore: '10', agencyCode: 'kinh-te-ha-tang' },
  { code: '8.1', title: 'Phát triển kinh tế', maxScore: '2', agencyCode: 'tai-chinh-ke-hoach' },
  {
    code: '8.1.1',
    title: 'Tỷ lệ chỉ tiêu kinh tế - xã hội theo Nghị quyết HĐND xã đạt và vượt',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Kê khai số chỉ tiêu đạt, vượt và tổng số chỉ tiêu. 100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=1; 80=0.5; 0=0',
  },
  {
    code: '8.1.2',
    title: 'Thực hiện các chương trình mục tiêu quốc gia trên địa bàn',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Hoàn thành kế hoạch vốn và nhiệm vụ được giao: 1 điểm; hoàn thành một phần: 0,5 điểm; không hoàn thành: 0.',
    scoring: 'levels: Hoàn thành=1; Hoàn thành một phần=0.5; Không hoàn thành=0',
  },
  { code: '8.2', title: 'Xây dựng nông thôn mới, quản lý đất đai và môi trường', maxScore: '2.5' },
  {
    code: '8.2.1',
    title: 'Quản lý đất đai, trật tự xây dựng trên địa bàn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Không để phát sinh vi phạm mới về đất đai, xây dựng không được xử lý: 0,5 điểm; có vi phạm chưa xử lý: 0.',
  },
  {
    code: '8.2.2',
    title: 'Kết quả xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu',
    maxScore: '1',
    evidenceRequired: true,
    guidance:
      'Đạt nông thôn mới kiểu mẫu: 1 điểm; đạt nông thôn mới nâng cao: 0,75 điểm; đạt nông thôn mới: 0,5 điểm. Thị trấn đề nghị "Không áp dụng".',
    scoring: 'levels: Đạt NTM kiểu mẫu=1; Đạt NTM nâng cao=0.75; Đạt NTM=0.5; Chưa đạt=0',
  },
  { code: '8.2.3', title: 'Bảo vệ môi trường', maxScore: '1' },
  {
    code: '8.2.3.1',
    title: 'Thu gom, xử lý chất thải rắn sinh hoạt',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Thu gom, xử lý đạt kế hoạch, không có điểm tồn đọng rác: 0,5 điểm; không đạt: 0.',
    scoring: 'levels: Đạt=0.5; Không đạt=0',
  },
  {
    code: '8.2.3.2',
    title: 'Tỷ lệ hộ gia đình phân loại chất thải rắn sinh hoạt tại nguồn',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Kê khai số hộ thực hiện phân loại và tổng số hộ; điểm = tỷ lệ × 0,5.',
    scoring: 'proportional',
  },
  { code: '8.3', title: 'Văn hóa, thông tin và lao động - xã hội', maxScore: '2.5', agencyCode: 'van-hoa-thong-tin' },
  {
    code: '8.3.1',
    title: 'Tỷ lệ hộ gia đình được công nhận gia đình văn hóa',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số hộ đạt danh hiệu và tổng số hộ. Từ 90% trở lên: 0,5 điểm; từ 80% đến dưới 90%: 0,25 điểm; dưới 80%: 0.',
    scoring: 'ratio: 90=0.5; 80=0.25; 0=0',
  },
  { code: '8.3.2', title: 'Giảm nghèo và bảo trợ xã hội', maxScore: '0.5' },
  {
    code: '8.3.2.1',
    title: 'Hoàn thành chỉ tiêu giảm tỷ lệ hộ nghèo được giao',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đạt hoặc vượt chỉ tiêu: 0,25 điểm; không đạt: 0.',
    scoring: 'levels: Đạt=0.25; Không đạt=0',
  },
  {
    code: '8.3.2.2',
    title: 'Chi trả trợ cấp xã hội hằng tháng đúng hạn, đúng đối tượng',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đúng hạn, đúng đối tượng: 0,25 điểm; có sai sót: 0.',
  },
  {
    code: '8.3.3',
    title: 'Giải quyết việc làm cho người lao động',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số lao động được tạo việc làm mới và chỉ tiêu giao. Từ 100% trở lên: 0,5 điểm; từ 80% đến dưới 100%: 0,25 điểm; dưới 80%: 0.',
    scoring: 'ratio: 100=0.5; 80=0.25; 0=0',
  },
  {
    code: '8.3.4',
    title: 'Hoạt động thông tin cơ sở, đài truyền thanh xã',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Phát sóng đủ thời lượng, có chương trình tự sản xuất: 0,5 điểm; không đủ: 0.',
  },
  {
    code: '8.3.5',
    title: 'Tỷ lệ dân số tham gia bảo hiểm y tế',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance:
      'Kê khai số người tham gia BHYT và dân số. Từ 95% trở lên: 0,5 điểm; từ 90% đến dưới 95%: 0,25 điểm; dưới 90%: 0.',
    scoring: 'ratio: 95=0.5; 90=0.25; 0=0',
  },
  { code: '8.4', title: 'Giáo dục, y tế và dân số', maxScore: '2', agencyCode: 'van-hoa-thong-tin' },
  { code: '8.4.1', title: 'Trường học đạt chuẩn quốc gia', maxScore: '0.75' },
  {
    code: '8.4.1.1',
    title: 'Trường mầm non đạt chuẩn quốc gia',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đạt chuẩn mức độ 2: 0,25 điểm; mức độ 1: 0,15 điểm; chưa đạt: 0.',
    scoring: 'levels: Đạt chuẩn mức độ 2=0.25; Đạt chuẩn mức độ 1=0.15; Chưa đạt chuẩn=0',
  },
  {
    code: '8.4.1.2',
    title: 'Trường tiểu học đạt chuẩn quốc gia',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đạt chuẩn mức độ 2: 0,25 điểm; mức độ 1: 0,15 điểm; chưa đạt: 0.',
    scoring: 'levels: Đạt chuẩn mức độ 2=0.25; Đạt chuẩn mức độ 1=0.15; Chưa đạt chuẩn=0',
  },
  {
    code: '8.4.1.3',
    title: 'Trường trung học cơ sở đạt chuẩn quốc gia',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đạt chuẩn mức độ 2: 0,25 điểm; mức độ 1: 0,15 điểm; chưa đạt: 0.',
    scoring: 'levels: Đạt chuẩn mức độ 2=0.25; Đạt chuẩn mức độ 1=0.15; Chưa đạt chuẩn=0',
  },
  {
    code: '8.4.2',
    title: 'Duy trì phổ cập giáo dục, xóa mù chữ',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Được công nhận duy trì đạt chuẩn phổ cập giáo dục, xóa mù chữ: 0,25 điểm; không đạt: 0.',
  },
  { code: '8.4.3', title: 'Y tế cơ sở', maxScore: '0.75' },
  {
    code: '8.4.3.1',
    title: 'Duy trì đạt Bộ tiêu chí quốc gia về y tế xã',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Duy trì đạt chuẩn: 0,25 điểm; không đạt: 0.',
  },
  {
    code: '8.4.3.2',
    title: 'Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance:
      'Kê khai số trẻ được tiêm đủ và tổng số trẻ dưới 1 tuổi. Từ 95% trở lên: 0,25 điểm; từ 90% đến dưới 95%: 0,1 điểm; dưới 90%: 0.',
    scoring: 'ratio: 95=0.25; 90=0.1; 0=0',
  },
  {
    code: '8.4.3.3',
    title: 'Tỷ lệ người dân có hồ sơ sức khỏe điện tử',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Kê khai số người có hồ sơ sức khỏe điện tử và dân số; điểm = tỷ lệ × 0,25.',
    scoring: 'proportional',
  },
  {
    code: '8.4.4',
    title: 'Thực hiện công tác dân số - kế hoạch hóa gia đình',
    maxScore: '0.25',
    evidenceRequired: true,
    guidance: 'Đạt các chỉ tiêu dân số được giao: 0,25 điểm; không đạt: 0.',
  },
  { code: '8.5', title: 'Quốc phòng, an ninh', maxScore: '1', agencyCode: 'van-phong' },
  {
    code: '8.5.1',
    title: 'Hoàn thành chỉ tiêu tuyển chọn và gọi công dân nhập ngũ',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Hoàn thành 100% chỉ tiêu: 0,5 điểm; không hoàn thành: 0.',
    scoring: 'levels: Hoàn thành=0.5; Không hoàn thành=0',
  },
  {
    code: '8.5.2',
    title: 'Xã đạt tiêu chuẩn an toàn về an ninh, trật tự',
    maxScore: '0.5',
    evidenceRequired: true,
    guidance: 'Được công nhận đạt tiêu chuẩn an toàn về an ninh, trật tự: 0,5 điểm; không đạt: 0.',
    scoring: 'levels: Đạt=0.5; Không đạt=0',
  },
];

export const demoCriteriaSet: DemoCriteriaSet = {
  name: 'Bộ tiêu chí theo dõi, đánh giá công tác CCHC đối với UBND các xã, thị trấn năm 2024',
  year: 2024,
  decision: 'Quyết định số 4002/QĐ-UBND ngày 01/11/2023 của UBND huyện Trực Ninh',
  criteria,
};

/**
 * The demo criteria set for a campaign of `year`: its name, year, decision and the dates in its guidance follow that
 * year (the plan "before 31/01" of the assessed year, the decision the year before), so that a 2026 campaign never
 * asks for a plan "trước ngày 31/01/2024".
 */
export function demoCriteriaSetFor(year: number): DemoCriteriaSet {
  const shift = (text: string) =>
    text.replace(/\b(2023|2024)\b/g, (y) => String(year + Number(y) - demoCriteriaSet.year));
  return {
    name: shift(demoCriteriaSet.name),
    year,
    decision: shift(demoCriteriaSet.decision),
    criteria: demoCriteriaSet.criteria.map((c) => ({
      ...c,
      title: shift(c.title),
      ...(c.guidance === undefined ? {} : { guidance: shift(c.guidance) }),
    })),
  };
}

export const demoPassword = 'demo-cchc-2024';

/** The unit users work in Xã Trực Thanh; `canbo2` in Xã Trực Đạo, so that a second unit's data is visibly separate. */
export const demoUsers: DemoUser[] = [
  { username: 'admin', fullName: 'Trần Thị Thu Hương', role: 'admin', agencyCode: 'noi-vu' },
  { username: 'chutich', fullName: 'Phạm Văn Khải', role: 'chair' },
  { username: 'thamdinh', fullName: 'Nguyễn Thị Lan Anh', role: 'appraiser', agencyCode: 'noi-vu' },
  { username: 'thamdinh-tuphap', fullName: 'Vũ Đức Thắng', role: 'appraiser', agencyCode: 'tu-phap' },
  { username: 'thamdinh-taichinh', fullName: 'Đặng Thị Thu Hà', role: 'appraiser', agencyCode: 'tai-chinh-ke-hoach' },
  { username: 'thamdinh-vanhoa', fullName: 'Ngô Minh Tâm', role: 'appraiser', agencyCode: 'van-hoa-thong-tin' },
  { username: 'thamdinh-kinhte', fullName: 'Lương Văn Hòa', role: 'appraiser', agencyCode: 'kinh-te-ha-tang' },
  { username: 'thamdinh-vanphong', fullName: 'Trịnh Thị Mai', role: 'appraiser', agencyCode: 'van-phong' },
  { username: 'canbo', fullName: 'Đỗ Thị Minh Ngọc', role: 'officer', unitCode: 'xa-truc-thanh' },
  { username: 'chutichxa', fullName: 'Hoàng Văn Tuấn', role: 'head', unitCode: 'xa-truc-thanh' },
  { username: 'congtac', fullName: 'Lê Thị Ơn', role: 'contributor', unitCode: 'xa-truc-thanh' },
  { username: 'canbo2', fullName: 'Bùi Quang Đức', role: 'officer', unitCode: 'xa-truc-dao' },
];

/** Seed 000's dates: self-assessment 12–20/12/2024, appraisal 23–27/12/2024, publication before 15/01/2025. */
export const demoCampaign: DemoCampaign = {
  code: 'truc-ninh-2024',
  name: 'Chỉ số CCHC các xã, thị trấn năm 2024',
  year: 2024,
  organizer: 'UBND huyện Trực Ninh',
  // Seed 000 leaves the district plan's own number blank; it implements the province's plan.
  decision: 'Kế hoạch số 142/KH-UBND ngày 18/10/2024 của UBND tỉnh Nam Định',
  composition: 'appraisal:70,survey:30',
  bands: 'Xuất sắc:95;Tốt:85;Khá:75;Trung bình:70;Yếu:0',
  precision: 2,
  rounding: 'half-up',
  selfAssessmentOpens: '2024-12-12',
  selfAssessmentCloses: '2024-12-20',
  appraisalOpens: '2024-12-23',
  appraisalCloses: '2024-12-27',
  publishBy: '2025-01-15',
};

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const dayMs = 86_400_000;

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

/**
 * Phase dates that put the demo campaign in self-assessment on `today` (yyyy-mm-dd): open from 5 days before to
 * 10 days after; then the gaps of seed 000 (3 days to appraisal, 4 days of appraisal, 19 days to publication).
 */
export function demoPhaseDates(today: string): DemoPhaseDates {
  if (!isoDate.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`)) || addDays(today, 0) !== today) {
    throw new RangeError(`demoPhaseDates: not an ISO date (yyyy-mm-dd): ${today}`);
  }
  const selfAssessmentCloses = addDays(today, 10);
  const appraisalOpens = addDays(selfAssessmentCloses, 3);
  const appraisalCloses = addDays(appraisalOpens, 4);
  return {
    selfAssessmentOpens: addDays(today, -5),
    selfAssessmentCloses,
    appraisalOpens,
    appraisalCloses,
    publishBy: addDays(appraisalCloses, 19),
  };
}
