// Words of resumable evidence uploads (tus): each file's progress line, the pause while offline, an upload remembered
// from before a reload, and the refusals only a resumable upload has (the per-person ceiling).

export const vi = {
  'tus.files': 'Tiến độ tải lên',
  'tus.starting': '{name}: đang bắt đầu tải lên…',
  'tus.progress': '{name}: {percent} % — còn khoảng {time}',
  'tus.progressNoTime': '{name}: {percent} %',
  'tus.seconds': '{n} giây',
  'tus.minutes': '{n} phút',
  'tus.paused': '{name}: mất kết nối, tạm dừng ở {percent} %. Sẽ tự tải tiếp khi có mạng trở lại.',
  'tus.checking': '{name}: đang kiểm tra tệp…',
  'tus.done': '{name}: đã tải lên.',
  'tus.failed': '{name}: chưa tải lên được. Chọn lại tệp và bấm Tải lên để tải tiếp từ chỗ đã dừng.',
  'tus.remembered':
    'Tệp {name} đang tải dở ({percent} %). Chọn lại đúng tệp đó và bấm Tải lên để tải tiếp từ chỗ đã dừng.',
  'tus.error.ceiling':
    'Bạn đang có các tệp tải dở tổng cộng quá {mb} MB. Hãy tải xong các tệp đó (hoặc chờ chúng hết hạn) rồi tải tệp này.',
};

export const en: Record<keyof typeof vi, string> = {
  'tus.files': 'Upload progress',
  'tus.starting': '{name}: starting the upload…',
  'tus.progress': '{name}: {percent} % — about {time} left',
  'tus.progressNoTime': '{name}: {percent} %',
  'tus.seconds': '{n} s',
  'tus.minutes': '{n} min',
  'tus.paused': '{name}: connection lost, paused at {percent} %. It goes on by itself when the network returns.',
  'tus.checking': '{name}: checking the file…',
  'tus.done': '{name}: uploaded.',
  'tus.failed': '{name}: not uploaded yet. Choose the file again and press Upload to go on from where it stopped.',
  'tus.remembered':
    'The upload of {name} stopped at {percent} %. Choose the same file again and press Upload to go on from there.',
  'tus.error.ceiling':
    'Your unfinished uploads already come to more than {mb} MB. Finish them (or wait until they expire), then upload this file.',
};
