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
      'late-payment-ratio': 'Tỷ lệ chậm đóng',
    } as Record<string, string>,
    status: {
      notStarted: 'chưa bắt đầu',
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
      'social-insurance': 'BHXH (bắt buộc + tự nguyện)',
      'all-schemes': 'Tất cả loại hình',
    } as Record<string, string>,
    other: 'English',
    staleSince: (time: string) => `Số liệu lúc ${time}, đang kết nối lại…`,
    connecting: 'đang kết nối…',
    sessionEnded:
      'Phiên đăng nhập đã hết hạn hoặc mã truy cập không hợp lệ. Vui lòng đăng nhập lại.',
    notPermitted:
      'Mã truy cập này không có quyền xem bảng điều khiển. Vui lòng đăng nhập bằng mã khác.',
    signOut: 'Đăng xuất',
    signedOut: 'Đã đăng xuất.',
    notFound: 'Không tìm thấy',
    invalid: 'Yêu cầu không hợp lệ',
    searchUnit: 'Tìm đơn vị theo tên',
    noMatch: 'Không có đơn vị nào khớp',
    choose: 'Chọn…',
    nothingYet: 'Chưa có dữ liệu',
    noCampaigns: 'Chưa có chiến dịch nào.',
    noMilestones: 'Chưa có mốc thời hạn nào.',
    noOrganizations: 'Chưa có tổ chức dịch vụ thu nào trong tháng này.',
    noAgents: 'Tổ chức này chưa có nhân viên thu nào trong tháng.',
    noChildren: 'Đơn vị này không có đơn vị trực thuộc.',
    notAllocated: 'Chưa phân bổ xuống cấp dưới',
    yearEndForecast: 'Dự báo cuối năm (theo tốc độ 30 ngày)',
    againstPlan: 'so với kế hoạch',
    coverageTarget: 'Chỉ tiêu bao phủ',
    trend: 'Diễn biến trong năm',
    lastYear: 'Cùng kỳ năm trước',
    projected: 'Dự báo',
    target: 'Chỉ tiêu',
    statusLabel: {
      reached: 'Đã đạt kế hoạch',
      onTrack: 'Đúng tiến độ',
      atRisk: 'Có nguy cơ không đạt',
      offTrack: 'Không đạt nếu giữ tốc độ này',
      noPlan: 'Chưa có kế hoạch',
    } as Record<string, string>,
    downloadCsv: 'Tải CSV',
    downloadPng: 'Tải ảnh PNG',
    print: 'In báo cáo',
    share: 'Sao chép liên kết',
    copied: 'Đã sao chép liên kết',
    dataTable: 'Bảng số liệu của biểu đồ',
    sortBy: 'Sắp xếp theo',
    district: 'Quận/huyện',
    allDistricts: 'Tất cả quận/huyện',
    requiredUnits: 'Các đơn vị phải thực hiện',
    unitStatus: {
      'on-time': 'Đúng hạn',
      late: 'Trễ hạn',
      waived: 'Miễn',
      pending: 'Chưa thực hiện',
    } as Record<string, string>,
    statusColumn: 'Trạng thái',
    fulfilledOn: 'Ngày thực hiện',
    noRequiredUnits: 'Không có đơn vị nào phải thực hiện mốc này.',
    projectedFinish: 'Dự kiến về đích',
    notReached: 'không đạt trước ngày kết thúc',
    sincePreviousMonth: 'So với cuối tháng trước',
    rankBy: 'Xếp hạng theo',
    campaignSchemes: 'Các loại hình của chiến dịch',
    ratioMetric: 'Tỷ lệ',
    direction: { 'at-most': 'không quá', 'at-least': 'không dưới' } as Record<string, string>,
    measuredOver: {
      window: 'cộng dồn cả đợt',
      'window-end': 'tại kỳ cuối đợt',
    } as Record<string, string>,
    met: { met: 'Đạt chỉ tiêu', notMet: 'Chưa đạt chỉ tiêu', unknown: 'Chưa có số liệu' } as Record<
      string,
      string
    >,
    margin: 'Cách chỉ tiêu',
    points: 'điểm %',
    baseline: 'Tháng trước đợt',
    shouldBeNow: 'Mức cần đạt đến nay',
    noShouldBeLine: 'không có (chỉ tiêu áp dụng cho cả đợt)',
    published: 'Số liệu đã công bố',
    publication: 'Báo cáo',
    allPublications: 'Tất cả báo cáo',
    figure: 'Số liệu',
    publishedValue: 'Đã công bố',
    atPublication: 'Lúc công bố',
    nowValue: 'Hiện nay',
    difference: 'Chênh lệch',
    truth: 'Còn đúng?',
    noLongerTrue: 'Không còn đúng',
    stillTrue: 'Vẫn đúng',
    onlyNoLongerTrue: 'Chỉ số liệu không còn đúng',
    corrections: 'Điều chỉnh sau công bố',
    recordedBy: 'người ghi',
    moreCorrections: 'và các điều chỉnh khác',
    publishedBy: 'Đơn vị công bố',
    auditorsOnly: 'Chỉ kiểm toán viên và quản trị viên được xem số liệu đã công bố.',
    noPublished: 'Chưa có số liệu công bố nào.',
    noneNoLongerTrue: 'Không có số liệu công bố nào bị dữ liệu sau này làm thay đổi.',
    measures: {
      participants: 'Người tham gia',
      attainment: 'Tỷ lệ đạt kế hoạch',
      coverage: 'Tỷ lệ bao phủ',
      'change-since-december': 'Tăng/giảm so với 31/12',
      'change-year-on-year': 'Tăng/giảm so với cùng kỳ',
      'change-since-previous-month': 'Tăng/giảm so với tháng trước',
    } as Record<string, string>,
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
      'late-payment-ratio': 'Late-payment ratio',
    } as Record<string, string>,
    status: {
      notStarted: 'not started',
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
      'social-insurance': 'Social insurance (compulsory + voluntary)',
      'all-schemes': 'All schemes',
    } as Record<string, string>,
    other: 'Tiếng Việt',
    staleSince: (time: string) => `Figures as of ${time}, reconnecting…`,
    connecting: 'connecting…',
    sessionEnded:
      'Your session has expired or the access token is not valid. Please sign in again.',
    notPermitted: 'This access token may not read the dashboard. Please sign in with another one.',
    signOut: 'Sign out',
    signedOut: 'Signed out.',
    notFound: 'Not found',
    invalid: 'Invalid request',
    searchUnit: 'Search a unit by name',
    noMatch: 'No unit matches',
    choose: 'Choose…',
    nothingYet: 'No data yet',
    noCampaigns: 'No campaign yet.',
    noMilestones: 'No milestone yet.',
    noOrganizations: 'No collection organization in this month.',
    noAgents: 'This organization has no collection agent in this month.',
    noChildren: 'This unit has no units below it.',
    notAllocated: 'Not allocated below',
    yearEndForecast: 'Year-end forecast (at the 30-day pace)',
    againstPlan: 'of plan',
    coverageTarget: 'Coverage target',
    trend: 'The year so far',
    lastYear: 'Last year',
    projected: 'Forecast',
    target: 'Target',
    statusLabel: {
      reached: 'Plan reached',
      onTrack: 'On track',
      atRisk: 'At risk',
      offTrack: 'Off track at this pace',
      noPlan: 'No plan',
    } as Record<string, string>,
    downloadCsv: 'Download CSV',
    downloadPng: 'Download PNG',
    print: 'Print report',
    share: 'Copy link',
    copied: 'Link copied',
    dataTable: "The chart's figures",
    sortBy: 'Sort by',
    district: 'District',
    allDistricts: 'All districts',
    requiredUnits: 'Units that must comply',
    unitStatus: {
      'on-time': 'On time',
      late: 'Late',
      waived: 'Waived',
      pending: 'Pending',
    } as Record<string, string>,
    statusColumn: 'Status',
    fulfilledOn: 'Done on',
    noRequiredUnits: 'No unit has to comply with this milestone.',
    projectedFinish: 'Projected finish',
    notReached: 'not reached by the end date',
    sincePreviousMonth: 'vs end of last month',
    rankBy: 'Rank by',
    campaignSchemes: "The campaign's schemes",
    ratioMetric: 'Ratio',
    direction: { 'at-most': 'at most', 'at-least': 'at least' } as Record<string, string>,
    measuredOver: {
      window: 'over the whole window',
      'window-end': 'as of the end',
    } as Record<string, string>,
    met: { met: 'Target met', notMet: 'Target not met', unknown: 'No figures yet' } as Record<
      string,
      string
    >,
    margin: 'Margin to the target',
    points: 'pp',
    baseline: 'Month before the window',
    shouldBeNow: 'Should be by now',
    noShouldBeLine: 'none (the target applies to the whole window)',
    published: 'Published figures',
    publication: 'Publication',
    allPublications: 'All publications',
    figure: 'Figure',
    publishedValue: 'Published',
    atPublication: 'At publication',
    nowValue: 'Now',
    difference: 'Difference',
    truth: 'Still true?',
    noLongerTrue: 'No longer true',
    stillTrue: 'Still true',
    onlyNoLongerTrue: 'Only figures no longer true',
    corrections: 'Corrections since publication',
    recordedBy: 'recorded by',
    moreCorrections: 'and more corrections',
    publishedBy: 'Published by',
    auditorsOnly: 'Only auditors and admins may read published figures.',
    noPublished: 'No published figure yet.',
    noneNoLongerTrue: 'No published figure has been changed by later data.',
    measures: {
      participants: 'Participants',
      attainment: 'Attainment of plan',
      coverage: 'Coverage',
      'change-since-december': 'Change since 31 Dec',
      'change-year-on-year': 'Change year on year',
      'change-since-previous-month': 'Change since last month',
    } as Record<string, string>,
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

/** Hours and minutes, for "figures as of 14:05". */
export function clock(value: Date): string {
  return new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(value);
}

/** Money as people say it: 20,69 tỷ đồng, 350,5 triệu đồng; VND 20.69 bn in English. */
export function money(value: number): string {
  const vi = language() === 'vi';
  const scaled = (divisor: number, viUnit: string, enUnit: string) => {
    const amount = number(value / divisor, Math.abs(value) >= divisor * 100 ? 0 : 2);
    return vi ? `${amount} ${viUnit} đồng` : `VND ${amount} ${enUnit}`;
  };
  if (Math.abs(value) >= 1e9) return scaled(1e9, 'tỷ', 'bn');
  if (Math.abs(value) >= 1e6) return scaled(1e6, 'triệu', 'm');
  return vi ? `${number(value)} đồng` : `VND ${number(value)}`;
}
