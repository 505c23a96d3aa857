// Words of the practice campaigns (Tập huấn): the band on their pages, the secretariat's steps, the preview.

export const vi = {
  'practice.band': 'Tập huấn — dữ liệu không có giá trị',
  'practice.band.hint':
    'Đây là đợt tập huấn sử dụng phần mềm: điểm, thẩm định và kết quả ở đây không được tính, không công bố và sẽ bị xóa.',
  'practice.tag': 'Tập huấn',
  'practice.name': 'Tập huấn — {name}',
  'practice.sample.explanation': 'Mẫu tập huấn: điểm tự đánh giá đã công bố của {campaign}.',
  'practice.approvalDecision': 'Tập huấn (không có giá trị)',
  'practice.preview.again': 'Công bố lại bản xem trước của đợt tập huấn.',

  'practice.new.link': 'Tạo đợt tập huấn từ kỳ này…',
  'practice.new.title': 'Tạo đợt tập huấn',
  'practice.new.lead':
    'Đợt tập huấn là bản sao của “{name}”: cùng bộ tiêu chí, thành phần điểm, xếp loại, đơn vị và miễn trừ, với thời hạn riêng (mở từ hôm nay trong {days} ngày). Mọi người dùng tài khoản của mình và thấy đợt tập huấn bên cạnh kỳ thật, có dải “Tập huấn” trên mọi trang. Không có gì của đợt tập huấn xuất hiện trên trang công khai, dữ liệu mở hay bảng xếp hạng thật.',
  'practice.new.samples': 'Điền sẵn tự đánh giá mẫu từ điểm đã công bố năm trước',
  'practice.new.samplesHint':
    'Đơn vị nào đã có kết quả công bố sẽ có sẵn một báo cáo tự đánh giá đã nộp, để thành viên thẩm định có việc thực hành ngay ngày đầu. Đơn vị chưa có kết quả bắt đầu với báo cáo trống.',
  'practice.new.submit': 'Tạo đợt tập huấn',

  'practice.panel.title': 'Điều hành đợt tập huấn',
  'practice.panel.lead':
    'Trong đợt tập huấn, Tổ thư ký chuyển giai đoạn tới hoặc lui tùy ý, không cần kiểm tra điều kiện.',
  'practice.phase.label': 'Chuyển sang giai đoạn',
  'practice.phase.submit': 'Chuyển giai đoạn',
  'practice.phase.choose': '— Chọn giai đoạn —',
  'practice.preview.publish': 'Công bố bản xem trước',
  'practice.preview.publishHint':
    'Từ giai đoạn Hội đồng xem xét trở đi: kết quả được đóng băng như khi công bố thật, nhưng chỉ hiện trên trang xem trước cho Tổ thư ký và người tham gia tập huấn.',
  'practice.preview.link': 'Xem trang xem trước kết quả',
  'practice.reset.link': 'Đặt lại từ đầu…',
  'practice.discard.link': 'Hủy bỏ đợt tập huấn…',

  'practice.done.created': 'Đã tạo đợt tập huấn. Số đơn vị có sẵn tự đánh giá mẫu: {n}.',
  'practice.done.phase': 'Đã chuyển đợt tập huấn sang giai đoạn “{state}”.',
  'practice.done.reset': 'Đã đặt lại đợt tập huấn về đầu giai đoạn tự đánh giá.',
  'practice.done.discarded': 'Đã hủy bỏ đợt tập huấn; nhật ký giữ một dòng ghi việc hủy.',

  'practice.reset.title': 'Đặt lại đợt tập huấn',
  'practice.reset.effect':
    'Mọi báo cáo tự đánh giá (điểm, giải trình, tài liệu kiểm chứng), kết quả thẩm định, yêu cầu giải trình và bản xem trước của đợt tập huấn bị xóa. Đợt tập huấn mở lại giai đoạn tự đánh giá từ hôm nay cho nhóm học viên tiếp theo. Nhật ký của đợt tập huấn được giữ, có đánh dấu tập huấn.',
  'practice.reset.yes': 'Xác nhận đặt lại',
  'practice.discard.title': 'Hủy bỏ đợt tập huấn',
  'practice.discard.effect':
    'Đợt tập huấn bị xóa hẳn: đơn vị tham gia, điểm, thẩm định, yêu cầu giải trình, tài liệu kiểm chứng không kỳ nào khác dùng, bản xem trước và nhật ký của chính đợt tập huấn. Nhật ký chỉ giữ lại một dòng ghi ai hủy, lúc nào, hủy gì. Không hoàn tác được.',
  'practice.discard.yes': 'Xác nhận hủy bỏ vĩnh viễn',
  'practice.count.units': 'Đơn vị tham gia',
  'practice.count.selfAssessments': 'Báo cáo tự đánh giá',
  'practice.count.submitted': 'Báo cáo đã nộp',
  'practice.count.answered': 'Tiêu chí đã chấm hoặc giải trình',
  'practice.count.appraised': 'Tiêu chí đã thẩm định',
  'practice.count.requests': 'Yêu cầu giải trình',
  'practice.count.evidenceFiles': 'Tài liệu kiểm chứng',
  'practice.count.evidenceOnlyHere': 'Tệp chỉ đợt này dùng (bị xóa khỏi kho)',
  'practice.count.publications': 'Bản xem trước đã công bố',
  'practice.count.auditEvents': 'Dòng nhật ký của đợt tập huấn',

  'practice.preview.title': 'Xem trước kết quả công bố (tập huấn)',
  'practice.preview.lead':
    'Chỉ Tổ thư ký và người tham gia tập huấn xem được trang này. Kết quả không xuất hiện trên trang công khai, dữ liệu mở hay bảng xếp hạng thật.',
  'practice.preview.none': 'Đợt tập huấn chưa công bố bản xem trước.',
  'practice.preview.version': 'Bản xem trước {n}, công bố lúc {time}',
  'practice.col.rank': 'Hạng',
  'practice.col.unit': 'Đơn vị',
  'practice.col.index': 'Chỉ số',
  'practice.col.band': 'Xếp loại',

  'practice.error.noCampaign': 'Không tìm thấy kỳ đánh giá để sao chép.',
  'practice.error.notPractice': 'Kỳ đánh giá này không phải đợt tập huấn: thao tác này chỉ dành cho đợt tập huấn.',
  'practice.error.phase': 'Hãy chọn một giai đoạn trong danh sách.',
  'practice.error.previewTooEarly':
    'Chỉ công bố bản xem trước được từ giai đoạn Hội đồng xem xét: hãy chuyển đợt tập huấn sang giai đoạn đó trước.',
};

export const en: Record<keyof typeof vi, string> = {
  'practice.band': 'Practice — this data has no value',
  'practice.band.hint':
    'This is a training campaign on the portal itself: its scores, appraisals and results do not count, are never published and will be deleted.',
  'practice.tag': 'Practice',
  'practice.name': 'Practice — {name}',
  'practice.sample.explanation': 'Practice sample: the self-assessed scores published for {campaign}.',
  'practice.approvalDecision': 'Practice (no value)',
  'practice.preview.again': 'The practice campaign’s preview published again.',

  'practice.new.link': 'Make a practice campaign from this one…',
  'practice.new.title': 'Make a practice campaign',
  'practice.new.lead':
    'The practice campaign is a copy of “{name}”: the same criteria set, composition, bands, units and exemptions, with its own dates (open from today for {days} days). Everyone uses their own account and sees the practice beside the real campaign, with a “Practice” band on every page. Nothing of it appears on the public pages, in open data or in the real ranking.',
  'practice.new.samples': 'Fill sample self-assessments from last year’s published scores',
  'practice.new.samplesHint':
    'Every unit with a published result gets a submitted self-assessment, so that the appraisers have something to appraise on day one. Units without one start with an empty form.',
  'practice.new.submit': 'Make the practice campaign',

  'practice.panel.title': 'Running the practice campaign',
  'practice.panel.lead':
    'In a practice campaign the secretariat moves the phases forward and back freely, without the checks.',
  'practice.phase.label': 'Move to the phase',
  'practice.phase.submit': 'Move the phase',
  'practice.phase.choose': '— Choose a phase —',
  'practice.preview.publish': 'Publish a preview',
  'practice.preview.publishHint':
    'From council review on: the results are frozen as in a real publication, but shown only on the preview page, to the secretariat and the trainees.',
  'practice.preview.link': 'See the results preview page',
  'practice.reset.link': 'Reset to the start…',
  'practice.discard.link': 'Discard the practice campaign…',

  'practice.done.created': 'The practice campaign is made. Units with a sample self-assessment: {n}.',
  'practice.done.phase': 'The practice campaign moved to “{state}”.',
  'practice.done.reset': 'The practice campaign is back at the start of self-assessment.',
  'practice.done.discarded': 'The practice campaign is discarded; the audit log keeps one line saying so.',

  'practice.reset.title': 'Reset the practice campaign',
  'practice.reset.effect':
    'Every self-assessment (scores, explanations, evidence), appraisal, explanation request and preview of the practice campaign is deleted. It reopens self-assessment from today for the next group of trainees. Its audit events stay, marked as practice.',
  'practice.reset.yes': 'Confirm the reset',
  'practice.discard.title': 'Discard the practice campaign',
  'practice.discard.effect':
    'The practice campaign is deleted whole: its units, scores, appraisals, explanation requests, the evidence files no other campaign uses, its previews and its own audit events. The audit log keeps one line saying who discarded what, and when. This cannot be undone.',
  'practice.discard.yes': 'Confirm: discard for good',
  'practice.count.units': 'Units taking part',
  'practice.count.selfAssessments': 'Self-assessments',
  'practice.count.submitted': 'Self-assessments submitted',
  'practice.count.answered': 'Criteria scored or explained',
  'practice.count.appraised': 'Criteria appraised',
  'practice.count.requests': 'Explanation requests',
  'practice.count.evidenceFiles': 'Evidence files',
  'practice.count.evidenceOnlyHere': 'Files only this practice uses (removed from the store)',
  'practice.count.publications': 'Previews published',
  'practice.count.auditEvents': 'Audit events of the practice',

  'practice.preview.title': 'Results preview (practice)',
  'practice.preview.lead':
    'Only the secretariat and the trainees can see this page. The results never appear on the public pages, in open data or in the real ranking.',
  'practice.preview.none': 'No preview of the practice campaign has been published yet.',
  'practice.preview.version': 'Preview {n}, published {time}',
  'practice.col.rank': 'Rank',
  'practice.col.unit': 'Unit',
  'practice.col.index': 'Index',
  'practice.col.band': 'Band',

  'practice.error.noCampaign': 'The campaign to copy was not found.',
  'practice.error.notPractice': 'This campaign is not a practice campaign: this step is for practice campaigns only.',
  'practice.error.phase': 'Choose a phase from the list.',
  'practice.error.previewTooEarly':
    'A preview can be published from council review on: move the practice campaign to that phase first.',
};
