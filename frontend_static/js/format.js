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

export function optionsOf(labels) {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}

const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

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
