// Words for the API's enums and values, in the interface's language.

export const ORGANISATION_KINDS = {
  POLICE: 'Police',
  COUNCIL: 'Council',
  HOUSING: 'Housing',
  FIRE_AND_RESCUE: 'Fire and rescue',
  HEALTH: 'Health',
  EDUCATION: 'Education',
  CHARITY: 'Charity',
  COMMUNITY_GROUP: 'Community group',
  BUSINESS: 'Business',
  OTHER: 'Other',
};

export const PROBLEM_CATEGORIES = {
  ANTISOCIAL_BEHAVIOUR: 'Antisocial behaviour',
  DRUGS: 'Drugs',
  ROAD_SAFETY: 'Road safety',
  THEFT_AND_BURGLARY: 'Theft and burglary',
  VIOLENCE: 'Violence',
  ENVIRONMENT: 'Environment',
  VULNERABILITY: 'Vulnerability',
  FRAUD: 'Fraud',
  OTHER: 'Other',
};

export const PROBLEM_STATUSES = {
  PROPOSED: 'Proposed',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  REFERRED: 'Referred',
  DUPLICATE: 'Duplicate',
  IN_PROGRESS: 'In progress',
  RESOLVED: 'Resolved',
  UNRESOLVED: 'Unresolved',
};

/**
 * The SARA stages (Scanning, Analysis, Response, Assessment), in the order a problem moves
 * through them, in the plain words residents see.
 */
export const SARA_STAGES = {
  SCANNING: 'Raised',
  ANALYSIS: 'Understanding the problem',
  RESPONSE: 'Acting on it',
  ASSESSMENT: 'Checking it worked',
};

/** What each stage means, for those who did not learn SARA. */
export const SARA_STAGE_MEANINGS = {
  SCANNING: 'The problem has been raised and waits for its owner’s answer.',
  ANALYSIS: 'Police and partners are finding out what causes it, where and when.',
  RESPONSE: 'They, and often residents with them, are doing the agreed actions.',
  ASSESSMENT: 'They are checking whether things got better, with figures and with you.',
};

export const DECLINE_REASONS = {
  NOT_A_POLICING_OR_PARTNER_MATTER: 'Not a matter for the police or partners',
  ALREADY_BEING_ADDRESSED: 'Already being addressed',
  INSUFFICIENT_INFORMATION: 'Not enough information',
  OUTSIDE_AREA: 'Outside the area',
  NO_POWERS_OR_RESOURCES: 'No powers or resources to act',
  OTHER: 'Another reason',
};

export const RESPONSE_DECISIONS = {
  ACCEPT: 'Accept',
  DECLINE: 'Decline',
  REFER: 'Refer to another organisation',
  DUPLICATE: 'Mark as a duplicate',
};

export const PROBLEM_ORDERS = {
  NEWEST: 'Newest first',
  MOST_SUPPORTED: 'Most supported',
  RESPONSE_DUE: 'Response due soonest',
  RECENTLY_UPDATED: 'Recently updated',
};

export const AREA_ROLES = {
  COORDINATOR: 'Coordinator',
  MODERATOR: 'Moderator',
};

export const ORGANISATION_ROLES = {
  MEMBER: 'Member',
  ADMIN: 'Admin',
};

export const DIGEST_FREQUENCIES = {
  NEVER: 'Never',
  DAILY: 'Daily',
  WEEKLY: 'Weekly',
};

export const GROUP_STATUSES = {
  ACTIVE: 'Active',
  CLOSED: 'Closed',
};

export const JOIN_POLICIES = {
  OPEN: 'Open to all',
  APPROVAL: 'Join on approval',
  INVITE_ONLY: 'By invitation',
};

export const GROUP_ROLES = {
  LEAD: 'Lead',
  MEMBER: 'Member',
};

export const ACTION_STATUSES = {
  PROPOSED: 'Proposed',
  ACTIVE: 'Under way',
  DONE: 'Done',
  CANCELLED: 'Cancelled',
};

export const OWNER_STATUSES = {
  PENDING: 'Not yet answered',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  IN_PROGRESS: 'In progress',
  BLOCKED: 'Blocked',
  DONE: 'Done',
};

export function optionsOf(labels) {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const dateOnly = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' });

export function formatDate(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

const calendarDay = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar date ("2026-12-01"), the same day wherever the browser is. */
export function formatDay(isoDate) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDate : calendarDay.format(date);
}

export function formatDateTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

export function days(count) {
  return plural(count, 'day');
}

/** A span of time given in hours, in the words a person would use. */
export function duration(hours) {
  if (hours < 1) return 'under an hour';
  if (hours < 48) return plural(Math.round(hours), 'hour');
  return days(Math.round(hours / 24));
}

/** "3 of 4 (75%)"; just the count when there is nothing to compare it with. */
export function share(count, total) {
  return total ? `${count} of ${total} (${Math.round((count / total) * 100)}%)` : String(count);
}

const BROWSERS = [
  ['Edg/', 'Edge'],
  ['OPR/', 'Opera'],
  ['Firefox/', 'Firefox'],
  ['Chrome/', 'Chrome'],
  ['Safari/', 'Safari'],
];

const SYSTEMS = [
  ['Android', 'Android'],
  ['iPhone', 'iPhone'],
  ['iPad', 'iPad'],
  ['Windows', 'Windows'],
  ['Mac OS X', 'macOS'],
  ['CrOS', 'ChromeOS'],
  ['Linux', 'Linux'],
];

/** "Firefox on Linux": a browser's User-Agent, in the words its owner would recognise. */
export function describeBrowser(userAgent) {
  if (!userAgent) return 'A browser';
  const find = (marks) => marks.find(([mark]) => userAgent.includes(mark))?.[1];
  const browser = find(BROWSERS);
  const system = find(SYSTEMS);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? system ?? userAgent.slice(0, 40);
}
