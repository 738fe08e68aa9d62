/** Vietnamese by default (495.856; 20/10/2024), English on request. */
export type Language = 'vi' | 'en';

const TEXT = {
  vi: {
    overview: 'Tổng quan',
    campaign: 'Chiến dịch',
    performance: 'Kết quả thu',
    month: 'Tháng',
    newParticipants: 'Phát triển mới',
    stopped: 'Dừng tham gia',
    retention: 'Duy trì đúng hạn',
    collected: 'Số tiền thu (đồng)',
    againstTarget: 'So với chỉ tiêu tháng',
    underPerforming: 'chưa đạt',
    milestone: 'Mốc thời hạn',
    organization: 'Tổ chức dịch vụ thu',
    agent: 'Nhân viên thu',
    achieved: 'Đạt được',
    shouldBe: 'Tiến độ cần đạt',
    aheadOfLine: 'Vượt/chậm so với tiến độ',
    daysElapsed: 'Đã qua (ngày)',
    daysRemaining: 'Còn lại (ngày)',
    deadline: 'hạn',
    fulfilled: 'Đã hoàn thành',
    onTime: 'Đúng hạn',
    late: 'Trễ hạn',
    pending: 'Chưa thực hiện',
    waived: 'Miễn',
    forecast: 'Dự kiến hoàn thành',
    complete: 'đã hoàn thành',
    afterDeadline: 'sau hạn',
    deadlinePassed: 'đã quá hạn',
    laggards: 'Đơn vị chưa thực hiện',
    metrics: {
      participants: 'Phát triển người tham gia',
      contributions: 'Số thu',
      'debt-recovered': 'Thu hồi nợ',
    } as Record<string, string>,
    status: {
      active: 'đang diễn ra',
      ended: 'đã kết thúc',
      closed: 'đã đóng sớm',
      cancelled: 'đã hủy',
    } as Record<string, string>,

    unit: 'Đơn vị',
    date: 'Ngày',
    show: 'Xem',
    participants: 'Người tham gia',
    plan: 'Kế hoạch',
    attainment: 'Đạt',
    sinceDecember: 'So với 31/12 năm trước',
    yearOnYear: 'So với cùng kỳ',
    coverage: 'Tỷ lệ bao phủ',
    remaining: 'Còn phải phát triển',
    requiredPerDay: 'Cần mỗi ngày',
    observedPerDay: 'Thực tế 30 ngày (mỗi ngày)',
    children: 'Đơn vị trực thuộc',
    updated: 'Cập nhật',
    behind: 'chậm',
    positions: 'sự kiện',
    live: 'trực tiếp',
    reconnecting: 'đang kết nối lại…',
    signIn: 'Dán mã truy cập (bearer token) để xem bảng điều khiển.',
    save: 'Lưu',
    noPlan: 'chưa có kế hoạch',
    schemes: {
      'compulsory-social-insurance': 'BHXH bắt buộc',
      'voluntary-social-insurance': 'BHXH tự nguyện',
      'health-insurance': 'BHYT',
      'unemployment-insurance': 'BH thất nghiệp',
    } as Record<string, string>,
    other: 'English',
  },
  en: {
    overview: 'Overview',
    campaign: 'Campaign',
    performance: 'Performance',
    month: 'Month',
    newParticipants: 'New participants',
    stopped: 'Stops',
    retention: 'Paid on time',
    collected: 'Collected (VND)',
    againstTarget: 'vs monthly target',
    underPerforming: 'under-performing',
    milestone: 'Milestone',
    organization: 'Collection organization',
    agent: 'Collection agent',
    achieved: 'Achieved',
    shouldBe: 'Should be',
    aheadOfLine: 'Ahead of (behind) the line',
    daysElapsed: 'Days elapsed',
    daysRemaining: 'Days remaining',
    deadline: 'deadline',
    fulfilled: 'Fulfilled',
    onTime: 'On time',
    late: 'Late',
    pending: 'Pending',
    waived: 'Waived',
    forecast: 'Projected completion',
    complete: 'complete',
    afterDeadline: 'after the deadline',
    deadlinePassed: 'deadline passed',
    laggards: 'Laggards',
    metrics: {
      participants: 'Participants developed',
      contributions: 'Contributions',
      'debt-recovered': 'Debt recovered',
    } as Record<string, string>,
    status: {
      active: 'active',
      ended: 'ended',
      closed: 'closed early',
      cancelled: 'cancelled',
    } as Record<string, string>,

    unit: 'Unit',
    date: 'Date',
    show: 'Show',
    participants: 'Participants',
    plan: 'Plan',
    attainment: 'Attainment',
    sinceDecember: 'vs 31 Dec of last year',
    yearOnYear: 'vs same period last year',
    coverage: 'Coverage',
    remaining: 'Remaining to plan',
    requiredPerDay: 'Needed per day',
    observedPerDay: 'Observed, last 30 days (per day)',
    children: 'Units below',
    updated: 'Updated',
    behind: 'behind',
    positions: 'events',
    live: 'live',
    reconnecting: 'reconnecting…',
    signIn: 'Paste an access (bearer) token to open the dashboard.',
    save: 'Save',
    noPlan: 'no plan',
    schemes: {
      'compulsory-social-insurance': 'Compulsory SI',
      'voluntary-social-insurance': 'Voluntary SI',
      'health-insurance': 'Health insurance',
      'unemployment-insurance': 'Unemployment insurance',
    } as Record<string, string>,
    other: 'Tiếng Việt',
  },
};

export type Text = (typeof TEXT)['vi'];

export function language(): Language {
  return localStorage.getItem('language') === 'en' ? 'en' : 'vi';
}

export function setLanguage(next: Language): void {
  localStorage.setItem('language', next);
}

export function text(): Text {
  return TEXT[language()];
}

const locale = () => (language() === 'vi' ? 'vi-VN' : 'en-GB');

export function number(value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(locale(), {
    maximumFractionDigits: fractionDigits,
    minimumFractionDigits: fractionDigits,
  }).format(value);
}

export function signed(value: number): string {
  return `${value > 0 ? '+' : ''}${number(value)}`;
}

export function percent(value: number): string {
  return `${number(value, 2)}%`;
}

/** A business date `YYYY-MM-DD` as 20/10/2024. */
export function date(value: string): string {
  const [year, month, day] = value.split('-');
  return `${day}/${month}/${year}`;
}

export function time(value: Date): string {
  return new Intl.DateTimeFormat(locale(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(value);
}
