/**
 * Graph-shaped records (Graph / portal JSON downloads, and CSV rows once mapped) -> the Azure Monitor
 * diagnostic-settings shape: `{time, category, operationName, resultType, resultDescription, callerIpAddress,
 * correlationId, identity, tenantId, Level, location, properties: <the Graph record>}`, filled the way Azure
 * Monitor fills them, so one rule path and one CIM mapping serve every input format.
 * tenantId: Graph has none at top level: sign-ins use resourceTenantId (else homeTenantId); audits use the
 * additionalDetails "TenantId" that B2C logs (else nothing).
 */
import { kindOfCategory } from './category.js';
import { detailValue, get, isObject, text, type JsonObject } from './values.js';

function put(target: JsonObject, key: string, value: unknown): void {
  if (value !== undefined && value !== null && value !== '') target[key] = value;
}

const RISK_OPERATION: Readonly<Record<string, string>> = { RiskyUsers: 'Risky user', UserRiskEvents: 'User Risk Detection' };

export function monitorShapeOfGraph(g: JsonObject, category: string): JsonObject {
  const kind = kindOfCategory(category);
  const out: JsonObject = {};
  switch (kind) {
    case 'signin': {
      const status = isObject(g.status) ? g.status : undefined;
      put(out, 'time', g.createdDateTime);
      out.operationName = 'Sign-in activity';
      out.operationVersion = '1.0';
      out.category = category;
      put(out, 'tenantId', text(g.resourceTenantId) ?? text(g.homeTenantId) ?? g.tenantId);
      if (status?.errorCode !== undefined && status.errorCode !== null) out.resultType = String(status.errorCode);
      put(out, 'resultDescription', status?.failureReason);
      put(out, 'callerIpAddress', g.ipAddress);
      put(out, 'correlationId', g.correlationId);
      put(out, 'identity', text(g.userDisplayName) ?? text(g.servicePrincipalName));
      out.Level = 4;
      put(out, 'location', get(g.location, 'countryOrRegion'));
      break;
    }
    case 'audit': {
      const user = get(g.initiatedBy, 'user');
      const app = get(g.initiatedBy, 'app');
      put(out, 'time', g.activityDateTime);
      put(out, 'operationName', g.activityDisplayName);
      out.operationVersion = '1.0';
      out.category = category;
      put(out, 'tenantId', text(g.tenantId) ?? text(detailValue(g.additionalDetails, 'TenantId')));
      put(out, 'callerIpAddress', get(user, 'ipAddress'));
      put(out, 'correlationId', g.correlationId);
      put(out, 'identity', text(get(user, 'displayName')) ?? text(get(user, 'userPrincipalName')) ?? text(get(app, 'displayName')));
      out.Level = 4;
      break;
    }
    case 'risk': {
      put(out, 'time', g.activityDateTime ?? g.detectedDateTime ?? g.riskLastUpdatedDateTime);
      out.operationName = RISK_OPERATION[category];
      out.operationVersion = '1.0';
      out.category = category;
      put(out, 'tenantId', g.tenantId);
      put(out, 'callerIpAddress', g.ipAddress);
      put(out, 'correlationId', g.correlationId);
      put(out, 'identity', g.userDisplayName);
      out.Level = 4;
      break;
    }
    default: {
      put(out, 'time', g.createdDateTime ?? g.activityDateTime ?? g.time ?? g.timestamp);
      put(out, 'operationName', g.activityDisplayName ?? g.operationName);
      out.category = category;
      put(out, 'tenantId', g.tenantId);
      put(out, 'callerIpAddress', g.ipAddress);
      put(out, 'correlationId', g.correlationId);
    }
  }
  out.properties = g;
  return out;
}
