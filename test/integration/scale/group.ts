/**
 * Reads a consumer group's membership from the broker (admin DescribeGroups): its state and which member (by
 * Kafka client id) holds which partitions of a topic. The scale test uses it to see three workers share the topic
 * and the survivors take a killed worker's partitions.
 */
import { AssignerProtocol } from 'kafkajs';
import { testKafka } from '../../support/kafka.js';

export interface GroupMember {
  clientId: string;
  memberId: string;
  partitions: number[];
}

export interface GroupAssignment {
  state: string;
  members: GroupMember[];
}

export async function describeGroupAssignment(groupId: string, topic: string): Promise<GroupAssignment> {
  const admin = testKafka('entrawatch-test-group-reader').admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const group = groups[0];
    if (!group) return { state: 'Unknown', members: [] };
    const members = group.members.map((m) => {
      const decoded = m.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(m.memberAssignment) : null;
      const partitions = [...(decoded?.assignment[topic] ?? [])].sort((a, b) => a - b);
      return { clientId: m.clientId, memberId: m.memberId, partitions };
    });
    return { state: group.state, members };
  } finally {
    await admin.disconnect();
  }
}

/** true when the group is Stable, has exactly `clientIds` as members, and together they hold all `partitions` once */
export function coversAll(a: GroupAssignment, clientIds: readonly string[], partitions: number): boolean {
  if (a.state !== 'Stable') return false;
  const members = a.members.map((m) => m.clientId).sort();
  if (members.join(',') !== [...clientIds].sort().join(',')) return false;
  const held = a.members.flatMap((m) => m.partitions).sort((x, y) => x - y);
  return held.length === partitions && held.every((p, i) => p === i);
}
