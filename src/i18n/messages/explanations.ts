// Words of the unit's page of supplementary explanations.

export const vi = {
  'explanations.title': 'Yêu cầu giải trình bổ sung',
  'explanations.none': 'Chưa có yêu cầu giải trình bổ sung nào.',
  'explanations.asked': '{name} yêu cầu lúc {time}; hạn trả lời {date}.',
  'explanations.answer': 'Nội dung giải trình bổ sung',
  'explanations.answerHint': 'Nêu rõ số liệu, văn bản và vị trí trong tài liệu kiểm chứng.',
  'explanations.send': 'Gửi giải trình',
  'explanations.sent': 'Đã gửi giải trình bổ sung.',
  'explanations.answered': 'Đã trả lời ({name}, {time}):',
  'explanations.closed': 'Đã hết hạn trả lời.',
  'explanations.forbidden': 'Chỉ cán bộ CCHC hoặc Chủ tịch UBND trả lời yêu cầu giải trình.',
  'explanations.open': '{n} yêu cầu giải trình bổ sung đang chờ trả lời',
  'explanations.link': 'Yêu cầu giải trình bổ sung',
  'explanations.files': 'Tài liệu bổ sung:',
  'explanations.file': 'Tài liệu kiểm chứng bổ sung',
  'explanations.error.answer': 'Nhập nội dung giải trình bổ sung.',
};

export const en: Record<keyof typeof vi, string> = {
  'explanations.title': 'Requests for supplementary explanation',
  'explanations.none': 'No request for a supplementary explanation yet.',
  'explanations.asked': 'Asked by {name} at {time}; answer by {date}.',
  'explanations.answer': 'Supplementary explanation',
  'explanations.answerHint': 'Give the figures, documents and where they are in the evidence.',
  'explanations.send': 'Send the explanation',
  'explanations.sent': 'Supplementary explanation sent.',
  'explanations.answered': 'Answered ({name}, {time}):',
  'explanations.closed': 'The time to answer is over.',
  'explanations.forbidden': 'Only the reform officer or the head of the unit answers requests.',
  'explanations.open': '{n} requests for supplementary explanation wait for an answer',
  'explanations.link': 'Requests for supplementary explanation',
  'explanations.files': 'Extra evidence:',
  'explanations.file': 'Extra evidence',
  'explanations.error.answer': 'Enter the supplementary explanation.',
};
