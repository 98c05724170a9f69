/**
 * The sample tenant ("world") shared with the rules' example config (/tmp/world.md of the project brief):
 * tenant, applications, staff and privileged accounts, approved lists, places with their documentation-range
 * IP addresses, browsers and operating systems. Every name here is fixed; only the consumers are generated.
 */
import type { Rng } from './prng.js';

export const SAMPLE_DAY = '2026-11-02';
export const TENANT_ID = '8c0e4c3e-5b0a-4f45-9d5e-6a1b2c3d4e5f';
export const TENANT_DOMAIN = 'contosob2c.onmicrosoft.com';
export const RESOURCE_ID = `/tenants/${TENANT_ID}/providers/Microsoft.aadiam`;

export interface App {
  appId: string;
  displayName: string;
  /** object id of the service principal in the tenant */
  servicePrincipalId: string;
}

function app(displayName: string, appId: string, servicePrincipalId: string): App {
  return { displayName, appId, servicePrincipalId };
}

export const APPS = {
  proxyIef: app('ProxyIdentityExperienceFramework', '22222222-0000-4000-8000-00000000ef01', '5d7e1c0a-3b2f-4e51-9a8c-0f6b2d4e8a11'),
  ief: app('IdentityExperienceFramework', '22222222-0000-4000-8000-00000000ef02', '6e8f2d1b-4c30-4f62-8b9d-1a7c3e5f9b22'),
  cpimPowerShell: app('CPIM PowerShell Client', '22222222-0000-4000-8000-00000000ef03', '7f903e2c-5d41-4a73-9cae-2b8d4f6a0c33'),
  cpimService: app('CPIM Service', 'bb2a2e3a-c5e7-4f0a-88e0-8e01fd3fc1f4', '8a1b4f3d-6e52-4b84-8dbf-3c9e5a7b1d44'),
  shopWeb: app('Contoso Shop Web', '4b1f7c2e-91d3-4e6a-8f05-c2a7d9e3b160', '9b2c5a4e-7f63-4c95-9ec0-4dae6b8c2e55'),
  mobileApp: app('Contoso Mobile App', '5c2a8d3f-a2e4-4f7b-9016-d3b8eaf4c271', 'ac3d6b5f-8074-4da6-8fd1-5ebf7c9d3f66'),
  ordersApi: app('Contoso Orders API', '6d3b9e4a-b3f5-4a8c-a127-e4c9fb05d382', 'bd4e7c6a-9185-4eb7-9ae2-6fc08dae4a77'),
  kiosk: app('Contoso Legacy Kiosk', '7e4caf5b-c406-4b9d-b238-f5da0c16e493', 'ce5f8d7b-a296-4fc8-8bf3-7ad19ebf5b88'),
  reportingDaemon: app('Contoso Reporting Daemon', '8f5db06c-d517-4cae-8349-06eb1d27f5a4', 'df609e8c-b3a7-40d9-9c04-8be2afc06c99'),
  syncService: app('Contoso Sync Service', '906ec17d-e628-4dbf-945a-17fc2e38a6b5', 'e071af9d-c4b8-41ea-8d15-9cf3b0d17daa'),
  migrationTool: app('B2C Migration Tool', 'a17fd28e-f739-4ec0-a56b-280d3f49b7c6', 'f182b0ae-d5c9-42fb-9e26-ad04c1e28ebb'),
  deployPipeline: app('Contoso Deploy Pipeline', 'b280e39f-084a-4fd1-b67c-391e405ac8d7', '0293c1bf-e6da-430c-8f37-be15d2f39fcc'),
  azurePortal: app('Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', '13a4d2c0-f7eb-441d-9048-cf26e304a0dd'),
  azurePowerShell: app('Microsoft Azure PowerShell', '1950a258-227b-4e31-a9cf-717495945fc2', '24b5e3d1-08fc-452e-a159-d037f415b1ee'),
  graph: app('Microsoft Graph', '00000003-0000-0000-c000-000000000000', '35c6f4e2-190d-463f-b26a-e148052622ff'),
  exchange: app('Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000', '46d705f3-2a1e-4740-837b-f259163733a0'),
  azureAd: app('Windows Azure Active Directory', '00000002-0000-0000-c000-000000000000', '57e81604-3b2f-4851-948c-036a274844b1'),
  serviceManagement: app('Windows Azure Service Management API', '797f4846-ba00-4fd7-ba43-dac1f8f63013', '68f92715-4c30-4962-a59d-147b385955c2'),
} as const;

/** The guide's sign-in applications (placeholder `b2c_signin_apps`). */
export const GUIDE_SIGNIN_APPS: readonly App[] = [APPS.proxyIef, APPS.cpimPowerShell];

export interface StaffAccount {
  upn: string;
  id: string;
  displayName: string;
}

function staff(local: string, id: string, displayName: string): StaffAccount {
  return { upn: `${local}@${TENANT_DOMAIN}`, id, displayName };
}

export const STAFF = {
  itAdmin: staff('it-admin', 'a3c1e5f7-0b2d-4e6f-8a1c-3e5f7a9b1c01', 'IT Admin'),
  idpAdmin: staff('idp-admin', 'b4d2f6a8-1c3e-4f70-9b2d-4f6a8b0c2d02', 'Identity Provider Admin'),
  secAdmin: staff('sec-admin', 'c5e3a7b9-2d4f-4a81-8c3e-5a7b9c1d3e03', 'Security Admin'),
  breakglass: staff('breakglass', 'd6f4b8ca-3e5a-4b92-9d4f-6b8cad2e4f04', 'Break Glass (emergency access)'),
  helpdesk: staff('helpdesk-07', 'e7a5c9db-4f6b-4ca3-8e5a-7c9dbe3f5a05', 'Helpdesk 07'),
  contractor: staff('dev-contractor', 'f8b6daec-5a7c-4db4-9f6b-8daecf4a6b06', 'Dev Contractor'),
  analyst: staff('ops-analyst', '09c7ebfd-6b8d-4ec5-8a7c-9ebfd05b7c07', 'Ops Analyst'),
} as const;

export const PRIVILEGED = [STAFF.itAdmin, STAFF.idpAdmin, STAFF.secAdmin, STAFF.breakglass] as const;
/** Privileged accounts that sign in on a normal working day (the break-glass account does not). */
export const WORKING_ADMINS = [STAFF.itAdmin, STAFF.idpAdmin, STAFF.secAdmin] as const;
/** `approved_actors`: may change CA policies, custom policies, user flows, API connectors, IdPs, apps. */
export const APPROVED_ACTORS = [STAFF.itAdmin, STAFF.idpAdmin] as const;

export const VIP_UPN = `vip-0001@${TENANT_DOMAIN}`;

export const OPERATING_COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'NL'] as const;
export const APPROVED_ONBOARDING_POLICIES = ['B2C_1A_signup_signin', 'B2C_1A_onboarding'] as const;
export const WORKING_HOURS = { startHour: 7, endHour: 19 } as const;

/** The attribute every consumer created by an approved process carries (BL-1). */
export const CUSTOMER_NUMBER_ATTRIBUTE = 'extension_CustomerNumber';

export interface Place {
  country: string;
  state: string;
  city: string;
  latitude: number;
  longitude: number;
  /** IPv4 host range inside a documentation network */
  v4: { prefix: string; from: number; to: number };
  /** IPv6 /48 inside 2001:db8::/32 */
  v6: string;
  asn: number;
}

function place(country: string, state: string, city: string, latitude: number, longitude: number,
  v4: Place['v4'], v6: string, asn: number): Place {
  return { country, state, city, latitude, longitude, v4, v6, asn };
}

/** Where consumers live (operating countries). Weights: share of the traffic. */
export const HOME_PLACES: ReadonlyArray<readonly [Place, number]> = [
  [place('US', 'Washington', 'Seattle', 47.6062, -122.3321, { prefix: '198.51.100.', from: 1, to: 45 }, '2001:db8:10', 7922), 14],
  [place('US', 'New York', 'New York', 40.7128, -74.006, { prefix: '198.51.100.', from: 46, to: 90 }, '2001:db8:11', 701), 14],
  [place('US', 'Texas', 'Austin', 30.2672, -97.7431, { prefix: '198.51.100.', from: 91, to: 127 }, '2001:db8:12', 7018), 10],
  [place('CA', 'Ontario', 'Toronto', 43.6532, -79.3832, { prefix: '198.51.100.', from: 128, to: 160 }, '2001:db8:20', 577), 8],
  [place('CA', 'Quebec', 'Montreal', 45.5017, -73.5673, { prefix: '198.51.100.', from: 161, to: 175 }, '2001:db8:21', 812), 4],
  [place('GB', 'England', 'London', 51.5072, -0.1276, { prefix: '198.51.100.', from: 176, to: 223 }, '2001:db8:30', 2856), 12],
  [place('DE', 'Berlin', 'Berlin', 52.52, 13.405, { prefix: '192.0.2.', from: 1, to: 50 }, '2001:db8:40', 3320), 9],
  [place('DE', 'Bavaria', 'Munich', 48.1351, 11.582, { prefix: '192.0.2.', from: 51, to: 80 }, '2001:db8:41', 3209), 5],
  [place('FR', 'Ile-de-France', 'Paris', 48.8566, 2.3522, { prefix: '192.0.2.', from: 81, to: 160 }, '2001:db8:50', 3215), 12],
  [place('NL', 'North Holland', 'Amsterdam', 52.3676, 4.9041, { prefix: '192.0.2.', from: 161, to: 200 }, '2001:db8:60', 1136), 8],
];

/** Countries the tenant does not operate from (travellers, attackers). */
export const FOREIGN_PLACES = {
  RU: place('RU', 'Moscow', 'Moscow', 55.7558, 37.6173, { prefix: '198.51.100.', from: 224, to: 239 }, '2001:db8:70', 12389),
  BR: place('BR', 'Sao Paulo', 'Sao Paulo', -23.5505, -46.6333, { prefix: '198.51.100.', from: 240, to: 254 }, '2001:db8:71', 28573),
  VN: place('VN', 'Ho Chi Minh', 'Ho Chi Minh City', 10.8231, 106.6297, { prefix: '192.0.2.', from: 201, to: 215 }, '2001:db8:72', 7552),
  JP: place('JP', 'Tokyo', 'Tokyo', 35.6762, 139.6503, { prefix: '192.0.2.', from: 216, to: 230 }, '2001:db8:73', 2516),
  ES: place('ES', 'Madrid', 'Madrid', 40.4168, -3.7038, { prefix: '192.0.2.', from: 231, to: 242 }, '2001:db8:74', 3352),
  NG: place('NG', 'Lagos', 'Lagos', 6.5244, 3.3792, { prefix: '192.0.2.', from: 243, to: 254 }, '2001:db8:75', 29465),
} as const;

/** The Contoso offices: the only places privileged accounts are approved to sign in from. */
export const OFFICE_PLACES = {
  seattle: place('US', 'Washington', 'Redmond', 47.674, -122.1215, { prefix: '203.0.113.', from: 10, to: 120 }, '2001:db8:100', 8075),
  toronto: place('CA', 'Ontario', 'Toronto', 43.6532, -79.3832, { prefix: '203.0.113.', from: 130, to: 200 }, '2001:db8:100', 8075),
} as const;

/** An address of the place: mostly IPv4, sometimes IPv6. */
export function ipIn(place: Place, rng: Rng, v6Share = 0.15): string {
  if (rng.chance(v6Share)) {
    return `${place.v6}:${rng.hex(4).replace(/^0+(?=.)/, '')}::${rng.hex(3).replace(/^0+(?=.)/, '')}`;
  }
  return `${place.v4.prefix}${rng.int(place.v4.from, place.v4.to)}`;
}

export interface Client {
  browser: string;
  operatingSystem: string;
  userAgent: string;
  clientAppUsed: string;
}

/** Consumer devices (weights). */
export const CONSUMER_CLIENTS: ReadonlyArray<readonly [Client, number]> = [
  [{ browser: 'Chrome 130.0.0', operatingSystem: 'Windows10', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' }, 24],
  [{ browser: 'Edge 130.0.0', operatingSystem: 'Windows10', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0' }, 12],
  [{ browser: 'Mobile Safari 18.1', operatingSystem: 'Ios', clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' }, 20],
  [{ browser: 'Chrome Mobile 130.0.0', operatingSystem: 'Android', clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36' }, 18],
  [{ browser: 'Safari 18.1', operatingSystem: 'MacOs', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15' }, 10],
  [{ browser: 'Firefox 132.0', operatingSystem: 'Windows10', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0' }, 8],
  [{ browser: 'Samsung Internet 26.0', operatingSystem: 'Android', clientAppUsed: 'Mobile Apps and Desktop clients', userAgent: 'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36' }, 5],
  [{ browser: 'Firefox 132.0', operatingSystem: 'Linux', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0' }, 3],
];

/** Approved administrator devices (Edge / Chrome on Windows or macOS). */
export const ADMIN_CLIENTS: readonly Client[] = [
  { browser: 'Edge 130.0.0', operatingSystem: 'Windows10', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0' },
  { browser: 'Chrome 130.0.0', operatingSystem: 'MacOs', clientAppUsed: 'Browser', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' },
];

/** A device no administrator is approved to use. */
export const UNAPPROVED_ADMIN_CLIENT: Client = {
  browser: 'Firefox 115.0', operatingSystem: 'Linux', clientAppUsed: 'Browser',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0',
};

export const FIRST_NAMES = ['Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Lucas', 'Mia', 'Elias', 'Sofia', 'Leon',
  'Chloe', 'Hugo', 'Emily', 'Jack', 'Amelia', 'Louis', 'Hannah', 'Finn', 'Lea', 'Oscar', 'Zoe', 'Arthur',
  'Isla', 'Theo', 'Julia', 'Daan', 'Sara', 'Milan', 'Grace', 'Ethan', 'Nora', 'Paul', 'Ella', 'Jules',
  'Charlotte', 'Felix', 'Maya', 'Samuel', 'Lina', 'Gabriel'];
export const LAST_NAMES = ['Smith', 'Johnson', 'Brown', 'Tremblay', 'Martin', 'Roy', 'Taylor', 'Wilson',
  'Mueller', 'Schmidt', 'Schneider', 'Bernard', 'Dubois', 'Moreau', 'de Jong', 'Jansen', 'de Vries', 'Evans',
  'Davies', 'Walker', 'Garcia', 'Nguyen', 'Lee', 'Clark', 'Lewis', 'Fischer', 'Weber', 'Laurent', 'Bakker',
  'Visser', 'Gagnon', 'Cote', 'Wright', 'Hughes', 'Edwards', 'Lambert'];
