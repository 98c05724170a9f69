/**
 * The deterministic generators shared by the rule benchmarks: a seeded random source, real Entra / B2C values
 * (activities, error codes, apps, client apps, user agents, risk types) and stateless Sigma rules in the proportions
 * of a real Entra rule set (SigmaHQ's Azure rules and the guide's rows).
 *
 * Rules draw their values from one of two vocabularies:
 * - `detection`: the values detections key on, as SigmaHQ's rules and the guide's rows do: directory and policy
 *   changes rather than the B2C user-flow events (token issuance, credential validation, federation: 84% of the
 *   sample day's audits), failure codes, legacy protocols rather than browsers and mobile apps (98% of the sample
 *   sign-ins), admin tools rather than the policy-engine app that carries every B2C sign-in;
 * - `broad`: any value of the field, the bulk of normal traffic included (`ClientApp: Browser`), so that many rules
 *   concern most events: a stress case, not a rule set a SOC would deploy (on the sample day such rules fire 1.6
 *   times per event).
 */
let state = 42;
/** restarts the random sequence (the same seed gives the same rules and events) */
export function seed(value: number): void {
  state = value;
}
export function rnd(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
export const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

export const ACTIVITIES = [
  'Add user', 'Delete user', 'Update user', 'Add member to role', 'Remove member from role', 'Add application',
  'Update application', 'Update application \u2013 Certificates and secrets management', 'Add service principal',
  'Update Service principal/Update Application', 'Add conditional access policy', 'Update conditional access policy',
  'Delete conditional access policy', 'Create custom policy', 'Update custom policy', 'Delete custom policy',
  'Create user flow', 'Update user flow', 'Delete user flow', 'Create policy key', 'Upload secret into policy key',
  'Create identity provider', 'Update identity provider', 'Delete identity provider', 'Create API connector',
  'Update API connector', 'Delete API connector', 'Issue an id_token to the application',
  'Issue an access token to the application', 'Issue an authorization code to the application',
  'Validate local account credentials', 'Federate with an identity provider', 'Send SMS to verify phone number',
  'A self-service sign-up request was completed', 'Reset password (by admin)', 'Change user password',
  'Add owner to application', 'Consent to application', 'Add delegated permission grant', 'Add app role assignment to service principal',
  'Fraud reported - user is blocked for MFA', 'Suspicious activity reported', 'Set domain authentication',
  'Add unverified domain', 'Verify domain', 'Add partner to company', 'Update authorization policy',
  'Add member to role outside of PIM (permanent)', 'Update role setting in PIM', 'Add eligible member to role in PIM completed (permanent)',
];
export const CODES = [0, 50126, 50053, 50057, 50074, 50076, 50140, 53003, 500121, 50055, 50058, 50125, 70044, 90072, 16000];
export const HOT_ACTIVITIES = ACTIVITIES.slice(27, 33); // B2C token issuance: most audit volume
export const APPS = ['ProxyIdentityExperienceFramework', 'IdentityExperienceFramework', 'Contoso Shop Web', 'CPIM PowerShell Client'];
export const CLIENT_APPS = ['Browser', 'Mobile Apps and Desktop clients', 'IMAP', 'Exchange ActiveSync', 'Other clients'];
export const AGENTS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/122.0', 'python-requests/2.31', 'curl/8.4.0', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)'];
export const RISKS = ['anonymizedIPAddress', 'unfamiliarFeatures', 'leakedCredentials', 'passwordSpray', 'impossibleTravel'];

export type Vocabulary = 'detection' | 'broad';

interface RuleValues {
  activities: readonly string[];
  clientApps: readonly string[];
  apps: readonly string[];
}

const VALUES: Record<Vocabulary, RuleValues> = {
  detection: {
    activities: ACTIVITIES.filter((a) => !HOT_ACTIVITIES.includes(a)),
    clientApps: ['IMAP', 'POP3', 'Authenticated SMTP', 'Exchange ActiveSync', 'Exchange Web Services', 'Other clients'],
    apps: ['CPIM PowerShell Client', 'Microsoft Azure PowerShell', 'Azure Portal', 'Graph Explorer', 'Microsoft Azure CLI'],
  },
  broad: { activities: ACTIVITIES, clientApps: CLIENT_APPS, apps: APPS },
};

export function ip(): string {
  return `${pick([203, 198, 185, 10, 172])}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`;
}

/** One stateless rule, in the proportions of a real Entra rule set (SigmaHQ Azure + the guide's rows). */
export function ruleText(i: number, vocabulary: Vocabulary): string {
  const { activities, clientApps, apps } = VALUES[vocabulary];
  // stratified: rule i takes the category at a fixed spread position, so 50 and 200 rules have the same mix
  const r = ((i * 37) % 100) / 100 + 0.005;
  let logsource = 'signinlogs';
  let detection: string;
  if (r < 0.5) {
    logsource = 'auditlogs';
    const extra = rnd() < 0.5 ? `\n    LoggedByService: ${pick(['B2C', 'Core Directory', 'Conditional Access'])}` : rnd() < 0.5 ? '\n    TargetResources.ModifiedProperties.NewValue|contains: \'http://\'' : '';
    detection = `  selection:\n    properties.message:\n      - '${pick(activities)}'\n      - '${pick(activities)}'${extra}\n  filter:\n    InitiatedBy.app.displayName: 'CPIM Service'\n  condition: selection and not filter`;
  } else if (r < 0.8) {
    const extra = pick(['', `\n    ClientApp: '${pick(clientApps)}'`, "\n    Status|contains: 'MFA denied'", "\n    AuthenticationRequirement: singleFactorAuthentication"]);
    detection = `  selection:\n    ResultType: ${pick(CODES.slice(1))}${extra}\n  condition: selection`;
  } else if (r < 0.86) {
    // exact values on other fields: indexed by them
    detection = pick([
      `  selection:\n    AuthenticationRequirement: singleFactorAuthentication\n    DeviceDetail.isCompliant: 'false'\n    AppDisplayName: '${pick(apps)}'\n  condition: selection`,
      `  selection:\n    AuthenticationProtocol: ropc\n  condition: selection`,
      `  selection:\n    ClientApp: ['${pick(clientApps)}', '${pick(clientApps)}']\n  condition: selection`,
    ]);
  } else if (r < 0.91) {
    // contains / regex / cidr: indexed by their required substring or (cidr) by their network
    const word = `${pick(['python', 'curl', 'go-http', 'okhttp', 'wget', 'powershell', 'axios', 'java'])}${Math.floor(rnd() * 20)}`;
    detection = pick([
      `  selection:\n    userAgent|contains: '${word}'\n  condition: selection`,
      `  selection:\n    Username|re: '^${word}[0-9]+@'\n  condition: selection`,
      `  selection:\n    IPAddress|cidr: '${pick([185, 45, 10, 91])}.${Math.floor(rnd() * 256)}.0.0/16'\n  filter:\n    Location: FR\n  condition: selection and not filter`,
    ]);
  } else if (r < 0.98) {
    logsource = 'riskdetection';
    detection = `  selection:\n    riskEventType: '${pick(RISKS)}'\n  condition: selection`;
  } else {
    logsource = pick(['auditlogs', 'signinlogs']);
    detection = `  sel_a:\n    properties.message|startswith: '${pick(activities).slice(0, 6)}'\n    Result: failure\n  sel_b:\n    Status|contains: 'fraud'\n  condition: 1 of sel_*`;
  }
  return `title: generated rule ${i}\nid: bench-${i}\nlogsource:\n  product: azure\n  service: ${logsource}\ndetection:\n${detection}\nlevel: medium\n`;
}

/** `count` generated rules as one multi-document YAML text (seeded by count: the same count gives the same rules) */
export function generatedRulesText(count: number, vocabulary: Vocabulary): string {
  seed(1000 + count);
  const docs: string[] = [];
  for (let i = 0; i < count; i++) docs.push(ruleText(i, vocabulary));
  return docs.join('---\n');
}
